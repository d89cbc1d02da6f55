/**
 * `npm run bench`: indicator throughput over one million bars, for every indicator in the registry.
 *
 * 1. Synthesizes 1,000,000 continuous 1m bars from the real BTCUSDT series (bench/data.ts) and writes
 *    them to bench/build/bars-1m.f64, the one input every implementation reads.
 * 2. Builds the TA-Lib C harness on first run (bench/c-harness.ts; all of TA-Lib, about 15 s).
 * 3. Per registered indicator (bench/cases.ts: default parameters, the TA-Lib call its reference
 *    declares), in rounds (bench/rounds.ts keeps each implementation's median round), back to back so
 *    both see the same machine load: the C kernel when it has one (harness child process; into
 *    preallocated and into fresh output buffers), then one forked worker (bench/worker.ts) measuring
 *    Candela batch (computeBatchInto into reused buffers, computeBatch with fresh outputs) and streaming
 *    (each bar just written and in cache, and from a million bar objects in memory), the stream ceiling
 *    (reading the bar objects only), the talib binding, trading-signals (streaming, both ways) where it
 *    has the indicator and technicalindicators for the first ten.
 * 4. The full-library pass (bench/library.ts): every indicator at once, batch and streaming, in one process.
 * 5. Prints the markdown table and the full-library figures (bench/report.ts, bench/library.ts) and writes
 *    bench/build/indicators.json.
 *
 * Rounds: 3 per indicator. The first ten indicators are measured in full in every round, as before the
 * bench covered the registry. For the others, the slow peers whose columns carry no target (the talib
 * binding, trading-signals from memory, technicalindicators; worker.ts SLOW_PEERS) run in the first round
 * only, and rounds 2 and 3 ("core") measure Candela, the C kernel and trading-signals with the bar in
 * cache, the columns of the two targets: the whole run (56 indicators) took 16.6 minutes on the shared
 * 2-core machine at load average 2.5–6.4, less when it is idle. Options, on
 * `node bench/build/js/bench/indicators.bench.js` after `npm run bench` has built it (`npm run bench -- ...`
 * would hand them to the last bench of the chain instead):
 *   --indicators a,b,c   only these ids (the table and the full-library pass);
 *   --rounds N           N rounds for every indicator;
 *   --no-library         skip the full-library pass.
 */
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { buildHarness, runHarness, type KernelResults } from "./c-harness";
import { BenchCase, FIRST_TEN, selectCases } from "./cases";
import { SOURCE_CSV, readCsvColumns, synthesizeContinuous, writeColumnsBinary } from "./data";
import { type LibraryResult, libraryLines } from "./library";
import { PEER_NOTES } from "./peers";
import { BATCH_TARGET, CaseReport, NEW_STREAM_TARGET, STREAM_TARGET, errorLines, jsonReport, markdownTable, targetLines } from "./report";
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

/** Command-line options (see the header). */
interface Options {
  readonly indicators?: string[];
  readonly rounds?: number;
  readonly library: boolean;
}

function parseOptions(args: readonly string[]): Options {
  let indicators: string[] | undefined;
  let rounds: number | undefined;
  let library = true;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = (): string => {
      const given = inline ?? args[++i];
      if (given === undefined) throw new Error(`${flag} needs a value`);
      return given;
    };
    if (flag === "--indicators") indicators = value().split(",").filter((id) => id.length > 0);
    else if (flag === "--rounds") {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number >= 1");
    } else if (flag === "--no-library") library = false;
    else throw new Error(`unknown option ${args[i]} (options: --indicators a,b,c; --rounds N; --no-library)`);
  }
  return { indicators, rounds, library };
}

/** Whether a round of this case measures every implementation ("full") or only the targets' ("core"). */
function roundMode(benchCase: BenchCase, round: number): "full" | "core" {
  return round === 0 || FIRST_TEN.has(benchCase.id) ? "full" : "core";
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Runs a forked script (worker.js, library.js) and resolves with the one message it sends. */
function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, script), args, {
      serialization: "advanced", // keeps NaN
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: T | undefined;
    child.on("message", (message) => (result = message as T));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      result ? resolvePromise(result) : reject(new Error(`${script} exited with ${signal ?? code} and no result`)),
    );
  });
}

/** Runs the worker for one case in a fresh process. */
function runWorker(benchCase: BenchCase, mode: "full" | "core"): Promise<WorkerResult> {
  return runChild<WorkerResult>("worker.js", [benchCase.id, BARS_FILE, mode]);
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const cases = selectCases(options.indicators);
  const loadAtStart = loadavg();
  mkdirSync(BUILD, { recursive: true });

  const series = synthesizeContinuous(readCsvColumns(SOURCE_CSV), BAR_COUNT);
  writeColumnsBinary(BARS_FILE, series.columns);

  const binary = await buildHarness(log);

  const reports: CaseReport[] = [];
  for (const [index, benchCase] of cases.entries()) {
    const rounds = options.rounds ?? ROUNDS;
    const caseStarted = Date.now();
    const kernelRounds: (KernelResults | undefined)[] = [];
    const workerRounds: WorkerResult[] = [];
    let workerError: string | undefined;
    let kernelError: string | undefined;
    for (let round = 0; round < rounds; round++) {
      if (benchCase.kernel) {
        try {
          kernelRounds.push(await runHarness(binary, BARS_FILE, C_PLAN.runs, C_PLAN.warmups, benchCase.id, benchCase.kernel));
        } catch (error) {
          kernelError = String(error);
        }
      }
      try {
        workerRounds.push(await runWorker(benchCase, roundMode(benchCase, round)));
      } catch (error) {
        workerError = String(error);
      }
    }
    const kernel = medianKernelRounds(kernelRounds);
    const worker = workerRounds.length > 0 ? medianWorkerRounds(workerRounds) : undefined;
    reports.push({ benchCase, rounds, kernel, kernelError, worker, workerError: worker ? undefined : workerError });
    log(`${index + 1}/${cases.length} ${benchCase.label}: ${rounds} round(s), ${((Date.now() - caseStarted) / 1000).toFixed(1)} s`);
  }
  const tableSeconds = (Date.now() - started) / 1000;

  let library: LibraryResult | undefined;
  let libraryError: string | undefined;
  if (options.library) {
    log("full-library pass ...");
    const libraryStarted = Date.now();
    try {
      library = await runChild<LibraryResult>("library.js", [BARS_FILE, ...(options.indicators ? [options.indicators.join(",")] : [])]);
    } catch (error) {
      libraryError = String(error);
    }
    log(`full-library pass: ${((Date.now() - libraryStarted) / 1000).toFixed(1)} s`);
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
    ...targetLines(reports).map((line) => `- ${line}`),
    `- Input: ${series.description}`,
    `- Machine: ${cpu} × ${cpus().length}, Node ${process.version}, load average ${load} (1/5/15 min; other work on the machine slows every column); TA-Lib C built with gcc -O2 from the talib package's sources.`,
    `- Runs (after warm-up): TA-Lib C ${C_PLAN.runs}, ${runs}; each figure is the median of the runs of one process. Every indicator is measured in ${options.rounds ?? ROUNDS} rounds (a fresh C harness process and a fresh JS worker process each, one indicator per worker) and each implementation's median round is shown: one process's figures vary up to 2× with JIT decisions. For the indicators added after the first ten, talib (node), trading-signals from memory and technicalindicators (no target rides on them) are measured in the first round only, to keep the bench near 15 minutes.`,
    `- Parameters: every indicator's defaults (hence EMA 20 where the bench used EMA 50 before it covered the registry). Series context (for session-dependent indicators): 1m bars on an always-open calendar. TA-Lib C: the function, inputs and options the indicator's reference declares, called through TA-Lib's abstract interface (TA_CallFunc, the same kernel as a direct call plus a constant per call); "—" where the indicator has no TA-Lib function.`,
    `- Batch, like for like. "Reused buffers": Candela's computeBatchInto writing into output columns allocated and touched once before timing, against "TA-Lib C, preallocated", the C kernel writing into buffers allocated and memset before timing (the ≥ ${BATCH_TARGET * 100}% target). "Fresh outputs": Candela's computeBatch (a new Float64Array per output and call) against the same C call writing into new, not yet touched pages every call (mmap/munmap timed).`,
    `- Streaming, like for like. "Bar in cache" (the target: ≥ ${STREAM_TARGET}× for the first ten indicators, ≥ ${NEW_STREAM_TARGET}× for the others): both streams are fed the real series in order, each bar just written into one of two pools of 1,024 reused bar objects, as live ingest hands a stream the bar it has just parsed; only the updates are timed (bench/hot-bar-feed.ts). "Bars from memory": both are fed a million prebuilt bar objects, one cache miss per bar for every implementation; the "ceiling" there is a loop that only reads the indicator's input fields (close; close, volume; high, low, close; the same and volume; all five) from those objects and sums them, so "ceiling ÷ trading-signals" is the largest ratio any stream could reach in that setting.`,
    `- "= TA-Lib": Candela's batch (both forms) and stream outputs on the last bar equal TA-Lib C's within 1e-9 relative.`,
    ...PEER_NOTES.map((note) => `- ${note}`),
  ];
  if (library) lines.push("", ...libraryLines(library));
  const errors = errorLines(reports);
  if (libraryError) errors.push(`- full-library pass failed: ${libraryError}`);
  if (errors.length > 0) lines.push("", "Problems:", ...errors);
  lines.push("", `Bench time: ${tableSeconds.toFixed(0)} s for the table (${reports.length} indicators), ${((Date.now() - started) / 1000).toFixed(0)} s in all.`);
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
        seconds: { table: tableSeconds, total: (Date.now() - started) / 1000 },
        library: library ?? (libraryError ? { error: libraryError } : undefined),
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
