/**
 * Builds and runs the TA-Lib C kernel harness (bench/c/talib-kernels.c).
 *
 * Build (first run, or when the harness source changed): all of TA-Lib — every function, the abstract
 * interface the harness calls them through, and ta_common, from the sources that the `talib` npm package
 * ships in node_modules/talib/src/lib — is compiled with `gcc -O2` into bench/build/talib-obj/ (about
 * 200 files, some 15 s on 2 cores, once), then linked with the harness into bench/build/talib-kernels.
 * bench/build/ is git-ignored. Any TA-Lib function can then be timed without editing C: an indicator
 * whose registry entry declares a TA-Lib reference names the function, its inputs and options.
 *
 * Run: the harness is a child process reading the same bars file the JS side measures and printing
 * `<KERNEL|KERNEL_FRESH> <id> <bars> <runs> <median_ns> <min_ns> <last values>` lines, parsed here:
 * KERNEL writes into output buffers faulted in before timing (the kernel itself); KERNEL_FRESH maps
 * fresh output pages for every call inside the timed region (what returning new columns costs).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const ROOT = resolve(__dirname, "../../../.."); // bench/build/js/bench -> repository root
/** The TA-Lib sources the `talib` package ships (resolved like `require("talib")`, so NODE_PATH works too). */
const TALIB = join(dirname(require.resolve("talib/package.json")), "src/lib");
const HARNESS_SOURCE = join(ROOT, "bench/c/talib-kernels.c");
const BUILD = join(ROOT, "bench/build");
const OBJECTS = join(BUILD, "talib-obj");
export const HARNESS_BINARY = join(BUILD, "talib-kernels");

/** Optimization flags for TA-Lib and the harness (TA-Lib's own makefile also uses -O2). */
const CFLAGS = ["-O2", "-DTA_SINGLE_THREAD", "-fno-strict-aliasing"];
const INCLUDES = ["include", "src/ta_common", "src/ta_abstract", "src/ta_abstract/frames"].map((dir) => `-I${join(TALIB, dir)}`);

/** Every C file of TA-Lib but the Excel glue, by directory under src/lib/src. */
function talibSources(): string[] {
  const under = (directory: string, skip: readonly string[] = []): string[] =>
    readdirSync(join(TALIB, "src", directory))
      .filter((name) => name.endsWith(".c") && !skip.includes(name))
      .sort()
      .map((name) => join(TALIB, "src", directory, name));
  return [
    ...under("ta_func"),
    ...under("ta_abstract", ["excel_glue.c"]),
    ...under("ta_abstract/tables"),
    ...under("ta_abstract/frames"),
    ...under("ta_common"),
  ];
}

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
  const sources = talibSources();
  const newestInput = Math.max(mtime(HARNESS_SOURCE), ...sources.map(mtime));
  if (mtime(HARNESS_BINARY) > newestInput) return HARNESS_BINARY;

  mkdirSync(OBJECTS, { recursive: true });
  log(`building TA-Lib C harness: gcc ${CFLAGS.join(" ")} on ${sources.length} TA-Lib sources ...`);
  const started = Date.now();
  const objects = await inParallel(
    sources.map((source) => async () => {
      const object = join(OBJECTS, source.slice(join(TALIB, "src").length + 1).replace(/\//g, "_").replace(/\.c$/, ".o"));
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

/** A TA-Lib call as the harness takes it (built from an indicator's declared reference, bench/cases.ts). */
export interface KernelCall {
  /** TA-Lib's function name without TA_, e.g. "MACD". */
  readonly function: string;
  /** TA-Lib input name (inReal, or a price component: open, high, low, close, volume) to our column name. */
  readonly inputs: Readonly<Record<string, string>>;
  /** TA-Lib option name to its value. */
  readonly options: Readonly<Record<string, number>>;
  /** TA-Lib's output names in the order of our outputs (the harness prints TA-Lib's own order). */
  readonly outputs: readonly string[];
}

/** The harness's `name=value` arguments for a call. */
export function kernelArguments(call: KernelCall): string[] {
  return [
    call.function,
    ...Object.entries(call.inputs).map(([name, column]) => `${name}=${column}`),
    // Options print exactly (integers as integers, reals with every digit).
    ...Object.entries(call.options).map(([name, value]) => `${name}=${String(value)}`),
  ];
}

/**
 * Runs the harness on a bars file (see bench/data.ts) for one indicator's TA-Lib call.
 * @returns both timings of the kernel
 * @throws Error when the harness fails (unknown function, input or option; TA-Lib error)
 */
export async function runHarness(
  binary: string,
  barsFile: string,
  runs: number,
  warmups: number,
  id: string,
  call: KernelCall,
): Promise<KernelResults> {
  const args = [barsFile, String(runs), String(warmups), id, ...kernelArguments(call)];
  const { stdout } = await run(binary, args);
  let results: KernelResults = {};
  for (const result of parseHarnessOutput(stdout)) results = { ...results, [result.mode]: result };
  return results;
}
