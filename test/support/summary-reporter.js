/**
 * Jest reporter that ends the run with one plain line, "N passed, N failed[, N skipped]", which CI reads
 * as the test summary (jest's own "Tests:" line carries a label and the total).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
    process.stdout.write(`${line}\n`);
  }
}

module.exports = SummaryReporter;
