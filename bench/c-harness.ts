/**
 * Builds and runs the TA-Lib C kernel harness (bench/c/talib-kernels.c).
 *
 * Build (first run, or when the harness source changed): every TA-Lib source file the measured
 * kernels need — from the sources that the `talib` npm package ships in node_modules/talib/src/lib —
 * is compiled with `gcc -O2` into bench/build/talib-obj/, then linked with the harness into
 * bench/build/talib-kernels. bench/build/ is git-ignored.
 *
 * Run: the harness is a child process reading the same bars file the JS side measures and printing
 * `<KERNEL|KERNEL_FRESH> <id> <bars> <runs> <median_ns> <min_ns> <last values>` lines, parsed here:
 * KERNEL writes into output buffers faulted in before timing (the kernel itself); KERNEL_FRESH maps
 * fresh output pages for every call inside the timed region (what returning new columns costs).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const ROOT = resolve(__dirname, "../../../.."); // bench/build/js/bench -> repository root
const TALIB = join(ROOT, "node_modules/talib/src/lib");
const HARNESS_SOURCE = join(ROOT, "bench/c/talib-kernels.c");
const BUILD = join(ROOT, "bench/build");
const OBJECTS = join(BUILD, "talib-obj");
export const HARNESS_BINARY = join(BUILD, "talib-kernels");

/** Optimization flags for TA-Lib and the harness (TA-Lib's own makefile also uses -O2). */
const CFLAGS = ["-O2", "-DTA_SINGLE_THREAD", "-fno-strict-aliasing"];
const INCLUDES = [`-I${join(TALIB, "include")}`, `-I${join(TALIB, "src/ta_common")}`];

/**
 * TA-Lib sources linked into the harness: the ten measured functions, what they call (TA_MA
 * dispatches to every moving-average type; BBANDS uses STDDEV/VAR; ATR uses TRANGE), and ta_common.
 */
const TALIB_SOURCES = [
  ...["SMA", "EMA", "WMA", "RSI", "MACD", "BBANDS", "ATR", "STOCH", "OBV", "ROC"],
  ...["MA", "DEMA", "TEMA", "TRIMA", "KAMA", "MAMA", "T3", "STDDEV", "VAR", "TRANGE"],
]
  .map((name) => `src/ta_func/ta_${name}.c`)
  .concat(["src/ta_func/ta_utility.c", "src/ta_common/ta_global.c", "src/ta_common/ta_retcode.c", "src/ta_common/ta_version.c"]);

/** One kernel's timing as printed by the harness. */
export interface KernelResult {
  readonly id: string;
  /** "reused": outputs into pre-faulted buffers; "fresh": new output pages every call. */
  readonly mode: "reused" | "fresh";
  readonly bars: number;
  readonly runs: number;
  readonly medianNs: number;
  readonly minNs: number;
  readonly barsPerSecond: number;
  /** Each output's value on the last bar, in TA-Lib's output order. */
  readonly lastValues: number[];
}

function mtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

/** Runs `jobs` with at most `limit` at a time. */
async function inParallel<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Compiles TA-Lib and the harness unless the binary is newer than everything it is built from. */
export async function buildHarness(log: (message: string) => void): Promise<string> {
  const sources = TALIB_SOURCES.map((source) => join(TALIB, source));
  const newestInput = Math.max(mtime(HARNESS_SOURCE), ...sources.map(mtime));
  if (mtime(HARNESS_BINARY) > newestInput) return HARNESS_BINARY;

  mkdirSync(OBJECTS, { recursive: true });
  log(`building TA-Lib C harness: gcc ${CFLAGS.join(" ")} on ${sources.length} TA-Lib sources ...`);
  const started = Date.now();
  const objects = await inParallel(
    sources.map((source) => async () => {
      const object = join(OBJECTS, source.slice(source.lastIndexOf("/") + 1).replace(/\.c$/, ".o"));
      if (mtime(object) <= mtime(source)) {
        await run("gcc", [...CFLAGS, ...INCLUDES, "-c", source, "-o", object]);
      }
      return object;
    }),
    Math.max(1, cpus().length),
  );
  await run("gcc", [...CFLAGS, ...INCLUDES, HARNESS_SOURCE, ...objects, "-lm", "-o", HARNESS_BINARY]);
  log(`built ${HARNESS_BINARY} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return HARNESS_BINARY;
}

/** Parses the harness's `KERNEL ...` and `KERNEL_FRESH ...` lines. */
export function parseHarnessOutput(stdout: string): KernelResult[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("KERNEL"))
    .map((line) => {
      const [kind, id, bars, runs, medianNs, minNs, lastValues] = line.trim().split(/\s+/);
      return {
        id,
        mode: kind === "KERNEL_FRESH" ? "fresh" : "reused",
        bars: Number(bars),
        runs: Number(runs),
        medianNs: Number(medianNs),
        minNs: Number(minNs),
        barsPerSecond: Number(bars) / (Number(medianNs) / 1e9),
        lastValues: lastValues.split(",").map(Number),
      };
    });
}

/** Both timings of one kernel. */
export interface KernelResults {
  readonly reused?: KernelResult;
  readonly fresh?: KernelResult;
}

/**
 * Runs the harness on a bars file (see bench/data.ts): every kernel, or only `id`.
 * @returns results by kernel id
 */
export async function runHarness(
  binary: string,
  barsFile: string,
  runs: number,
  warmups: number,
  id?: string,
): Promise<Map<string, KernelResults>> {
  const args = [barsFile, String(runs), String(warmups), ...(id ? [id] : [])];
  const { stdout } = await run(binary, args);
  const byId = new Map<string, KernelResults>();
  for (const result of parseHarnessOutput(stdout)) {
    byId.set(result.id, { ...byId.get(result.id), [result.mode]: result });
  }
  return byId;
}
