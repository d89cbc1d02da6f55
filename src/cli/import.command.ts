import { statSync } from "node:fs";
import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { badUserInput, quoteInput } from "../domain/errors";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { parseTimeframe, timeframeLabel } from "../domain/timeframe";
import { parseCalendar } from "../domain/trading-calendar";
import type { ImportSummary } from "../ingest/bar-importer";
import { importCsvFile } from "../ingest/csv-import";
import { postgresBarImportStore } from "../store/offline/bar-import.session";
import { invalidateCachedQueries, withDatabase } from "./cli-runtime";

/** What `candela import` takes. */
interface ImportOptions {
  readonly file: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly calendar?: string;
  readonly skipInvalid: boolean;
  readonly trustTimeframe: boolean;
  readonly listOutOfSession: boolean;
}

/**
 * `candela import --file F --symbol S --timeframe 1m [--calendar ...] [--skip-invalid] [--trust-timeframe]
 * [--list-out-of-session]`: imports a CSV file in one transaction. Exit codes: 0 imported, 1 rows rejected (nothing
 * written unless --skip-invalid), 2 usage, refused or I/O error, 130 interrupted (Ctrl-C: the running statement is
 * cancelled at once and nothing is written).
 */
export function importCommand(): Command {
  return new Command("import")
    .description("import OHLCV bars from a CSV file (ts,open,high,low,close,volume or a Binance kline dump), all or nothing")
    .requiredOption("--file <path>", "CSV file to import")
    .requiredOption("--symbol <symbol>", "instrument ticker, e.g. BTCUSDT")
    .requiredOption("--timeframe <timeframe>", "bar timeframe: 1m, 5m, 15m, 30m, 1h, 4h, 1d")
    .option("--calendar <calendar>", 'trading calendar: always, weekdays, fx, fx-broker, nyse, or "Sun 17:00 - Fri 17:00 America/New_York"')
    .option("--skip-invalid", "import the valid rows and skip invalid ones (default: import nothing if any row is invalid)", false)
    .option("--trust-timeframe", "import even when the open times look like a coarser timeframe's (sparse bars)", false)
    .option("--list-out-of-session", "list the rows whose bar lies outside the instrument's trading sessions", false)
    .action(async (options: ImportOptions) => {
      process.exitCode = await importFile(options);
    });
}

async function importFile(options: ImportOptions): Promise<number> {
  const symbol = options.symbol.trim().toUpperCase();
  if (!isValidSymbol(symbol)) throw badUserInput(`${quoteInput(options.symbol)} is not a valid symbol (${SYMBOL_RULE}).`);
  const timeframe = parseTimeframe(options.timeframe);
  const calendar = options.calendar === undefined ? undefined : parseCalendar(options.calendar);
  const fileSize = statSync(options.file).size;
  return withDatabase(async (database, config) => {
    const progress = process.stderr.isTTY ? new SingleBar({ format: "importing [{bar}] {value} rows", clearOnComplete: true }, Presets.shades_classic) : undefined;
    progress?.start(Math.max(1, Math.round(fileSize / 60)), 0);
    const interruption = new AbortController();
    const interrupt = () => interruption.abort();
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      const summary = await importCsvFile(postgresBarImportStore(database.pool), {
        file: options.file,
        symbol,
        timeframe,
        calendar,
        skipInvalid: options.skipInvalid,
        trustTimeframe: options.trustTimeframe,
        signal: interruption.signal,
        onProgress: (rowsRead) => progress?.update(rowsRead),
        onCommitted: (committed) => invalidateCachedQueries(config.REDIS_URL, committed),
        onRejected: (row) => {
          progress?.stop();
          console.error(`line ${row.line}: ${row.reason}`);
        },
      });
      progress?.stop();
      printSummary(symbol, timeframeLabel(timeframe), summary, options.listOutOfSession);
      return summary.committed ? 0 : 1;
    } catch (error) {
      if (!interruption.signal.aborted) throw error;
      progress?.stop();
      console.error(`candela import: interrupted; the running statement was cancelled and nothing was written.`);
      return 130;
    } finally {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      progress?.stop();
    }
  });
}

function printSummary(symbol: string, timeframe: string, summary: ImportSummary, listOutOfSession: boolean): void {
  const lines = [
    `${symbol} ${timeframe}: ${summary.committed ? "imported" : "NOT imported (no row was written)"}`,
    `  rows read  ${summary.rowsRead}`,
    `  inserted   ${summary.inserted}`,
    `  updated    ${summary.updated}`,
    `  unchanged  ${summary.unchanged}`,
    `  rejected   ${summary.rejected}${summary.committed && summary.rejected > 0 ? " (skipped)" : ""}`,
  ];
  if (summary.committed) {
    lines.push(`  gaps       ${summary.gaps.length} (${summary.missingBars} missing bars)`);
    if (summary.skippedClosures.length > 0) {
      const first = summary.skippedClosures.slice(0, 5).map((closure) => `${closure.date} ${closure.reason}`);
      lines.push(`  closures   ${summary.skippedClosures.length} closed days skipped, not gaps (${first.join("; ")}${summary.skippedClosures.length > 5 ? "; ..." : ""})`);
    }
    for (const gap of summary.gaps.slice(0, 20)) {
      lines.push(`    ${new Date(gap.firstMissingOpenTime).toISOString()} .. ${new Date(gap.lastMissingOpenTime).toISOString()} (${gap.missingBars} bars)`);
    }
    if (summary.gaps.length > 20) lines.push(`    ... and ${summary.gaps.length - 20} more`);
    lines.push(`  outside sessions ${summary.outOfSession}${summary.outOfSession > 0 && !listOutOfSession ? " (--list-out-of-session lists them)" : ""}`);
    if (listOutOfSession) {
      for (const row of summary.outOfSessionRows) lines.push(`    line ${row.line}: ${new Date(row.openTime).toISOString()}`);
      if (summary.outOfSession > summary.outOfSessionRows.length) lines.push(`    ... and ${summary.outOfSession - summary.outOfSessionRows.length} more`);
    }
  } else {
    lines.push("  Fix the rows above, or pass --skip-invalid to import the valid rows only.");
  }
  console.log(lines.join("\n"));
}
