/**
 * `npm run bench`: indicator throughput over one million bars.
 *
 * 1. Synthesizes 1,000,000 continuous 1m bars from the real BTCUSDT series (bench/data.ts) and writes
 *    them to bench/build/bars-1m.f64, the one input every implementation reads.
 * 2. Builds the TA-Lib C kernel harness on first run (bench/c-harness.ts).
 * 3. Per indicator, in 3 rounds (bench/rounds.ts keeps each implementation's median round), back to
 *    back so both see the same machine load: the C kernel (harness child process; into preallocated
 *    and into fresh output buffers), then one forked worker
 *    (bench/worker.ts) measuring Candela batch (computeBatchInto into reused buffers, computeBatch
 *    with fresh outputs) and streaming (each bar just written and in cache, and from a million bar
 *    objects in memory), the stream ceiling (reading the bar objects only), the talib binding,
 *    trading-signals (streaming, both ways) and technicalindicators.
 * 4. Prints a markdown table (bench/report.ts) and writes bench/build/indicators.json.
 */
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { buildHarness, runHarness, type KernelResults } from "./c-harness";
import { CASES, BenchCase } from "./cases";
import { SOURCE_CSV, readCsvColumns, synthesizeContinuous, writeColumnsBinary } from "./data";
import { PEER_NOTES } from "./peers";
import { BATCH_TARGET, CaseReport, STREAM_TARGET, errorLines, jsonReport, markdownTable } from "./report";
import { medianKernelRounds, medianWorkerRounds } from "./rounds";
import { PLANS, WorkerResult } from "./worker";

const ROOT = resolve(__dirname, "../../../..");
const BUILD = join(ROOT, "bench/build");
const BARS_FILE = join(BUILD, "bars-1m.f64");
const JSON_FILE = join(BUILD, "indicators.json");
const BAR_COUNT = 1_000_000;
const C_PLAN = { warmups: 3, runs: 15 };
/** Rounds per case (a fresh C harness run and a fresh worker process each); see bench/rounds.ts. */
const ROUNDS = 3;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Runs the worker for one case in a fresh process. */
function runWorker(benchCase: BenchCase): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, "worker.js"), [benchCase.id, BARS_FILE], {
      serialization: "advanced", // keeps NaN
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: WorkerResult | undefined;
    child.on("message", (message) => (result = message as WorkerResult));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      result ? resolvePromise(result) : reject(new Error(`worker exited with ${signal ?? code} and no result`)),
    );
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg();
  mkdirSync(BUILD, { recursive: true });

  const series = synthesizeContinuous(readCsvColumns(SOURCE_CSV), BAR_COUNT);
  writeColumnsBinary(BARS_FILE, series.columns);

  const binary = await buildHarness(log);

  const reports: CaseReport[] = [];
  for (const benchCase of CASES) {
    log(`${benchCase.label} ...`);
    const kernelRounds: (KernelResults | undefined)[] = [];
    const workerRounds: WorkerResult[] = [];
    let workerError: string | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      kernelRounds.push((await runHarness(binary, BARS_FILE, C_PLAN.runs, C_PLAN.warmups, benchCase.id)).get(benchCase.id));
      try {
        workerRounds.push(await runWorker(benchCase));
      } catch (error) {
        workerError = String(error);
      }
    }
    const kernel = medianKernelRounds(kernelRounds);
    reports.push(workerRounds.length > 0 ? { benchCase, kernel, worker: medianWorkerRounds(workerRounds) } : { benchCase, kernel, workerError });
  }

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const formatLoad = (values: number[]): string => values.map((value) => value.toFixed(1)).join(" / ");
  const load = `${formatLoad(loadAtStart)} at the start, ${formatLoad(loadavg())} at the end`;
  const runs = Object.entries(PLANS)
    .map(([name, plan]) => `${name} ${plan.runs}`)
    .join(", ");
  const lines = [
    `## Indicator throughput (M bars/s, ${BAR_COUNT.toLocaleString("en-US")} bars, median)`,
    "",
    markdownTable(reports),
    "",
    `- Input: ${series.description}`,
    `- Machine: ${cpu} × ${cpus().length}, Node ${process.version}, load average ${load} (1/5/15 min; other work on the machine slows every column); TA-Lib C built with gcc -O2 from the talib package's sources.`,
    `- Runs (after warm-up): TA-Lib C ${C_PLAN.runs}, ${runs}; each figure is the median of the runs of one process. Every indicator is measured in ${ROUNDS} rounds (a fresh C harness process and a fresh JS worker process each, one indicator per worker) and each implementation's median round is shown: one process's figures vary up to 2× with JIT decisions.`,
    `- Batch, like for like. "Reused buffers": Candela's computeBatchInto writing into output columns allocated and touched once before timing, against "TA-Lib C, preallocated", the C kernel writing into buffers allocated and memset before timing (the ≥ ${BATCH_TARGET * 100}% target). "Fresh outputs": Candela's computeBatch (a new Float64Array per output and call) against the same C call writing into new, not yet touched pages every call (mmap/munmap timed).`,
    `- Streaming, like for like. "Bar in cache" (the ≥ ${STREAM_TARGET}× target): both streams are fed the real series in order, each bar just written into one of two pools of 1,024 reused bar objects, as live ingest hands a stream the bar it has just parsed; only the updates are timed (bench/hot-bar-feed.ts). "Bars from memory": both are fed a million prebuilt bar objects, one cache miss per bar for every implementation; the "ceiling" there is a loop that only reads the indicator's input fields (close; high, low, close; close, volume) from those objects and sums them, so "ceiling ÷ trading-signals" is the largest ratio any stream could reach in that setting.`,
    `- "= TA-Lib": Candela's batch (both forms) and stream outputs on the last bar equal TA-Lib C's within 1e-9 relative.`,
    ...PEER_NOTES.map((note) => `- ${note}`),
  ];
  const errors = errorLines(reports);
  if (errors.length > 0) lines.push("", "Problems:", ...errors);
  console.log(lines.join("\n"));

  writeFileSync(
    JSON_FILE,
    JSON.stringify(
      jsonReport(reports, {
        generatedAt: new Date().toISOString(),
        bars: BAR_COUNT,
        input: series.description,
        machine: { cpu, cores: cpus().length, node: process.version, loadAverageAtStart: loadAtStart, loadAverage: loadavg() },
        runs: { taLibC: C_PLAN, ...PLANS },
      }),
      null,
      2,
    ),
  );
  log(`wrote ${JSON_FILE} (${((Date.now() - started) / 1000).toFixed(0)} s total)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
