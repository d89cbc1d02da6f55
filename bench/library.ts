/**
 * The full-library pass: every registered indicator (src/indicators/registry.ts), default parameters, over
 * the bench's 1,000,000 bars, in one process, as a feature store computing the whole library would:
 *
 * - batch: `computeBatchInto` of every indicator in turn over all bars, into output columns allocated and
 *   faulted in once, before timing;
 * - streaming: a fresh `createStream` per indicator, then for every bar (the million prebuilt bar objects,
 *   in order) `update` of every stream, as live ingest updates every feature of a series per closed bar.
 *
 * One untimed pass of each warms the JIT, then `PASSES` timed passes; the median pass is reported (and,
 * for batch, each indicator's median time within the passes). Every indicator gets the bench's series
 * context (bench/cases.ts). An indicator that throws is reported and left out of both passes.
 *
 * Usage (via fork, with an IPC channel, from indicators.bench.ts): node library.js <bars.f64> [<id,id,...>]
 */
import { barAt, type BarColumns } from "../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "../src/indicators/indicator";
import { INDICATORS } from "../src/indicators/registry";
import { resolveParameters } from "../src/indicators/parameters";
import { BENCH_CONTEXT } from "./cases";
import { sink } from "./timing";
import { readBarsBinary } from "./data";

/** Timed passes per mode (after one warm-up pass). */
export const PASSES = 3;

/** One mode's figures. */
export interface LibraryPass {
  /** Median seconds of one pass over all bars and indicators. */
  readonly seconds: number;
  readonly minSeconds: number;
  /** Bars × indicators per second (median pass). */
  readonly indicatorBarsPerSecond: number;
  /** Bars per second with every indicator computed (median pass). */
  readonly barsPerSecond: number;
}

/** What the pass reports. */
export interface LibraryResult {
  readonly bars: number;
  readonly indicators: readonly string[];
  readonly passes: number;
  readonly batch: LibraryPass;
  readonly stream: LibraryPass;
  /** Each indicator's median seconds within the batch passes, by id. */
  readonly batchSecondsByIndicator: Readonly<Record<string, number>>;
  /** Indicators left out because they threw, with the message. */
  readonly errors: Readonly<Record<string, string>>;
  readonly sink: number;
}

interface Member {
  readonly definition: IndicatorDefinition;
  readonly parameters: IndicatorParameters;
  readonly outputs: Float64Array[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

function pass(seconds: number[], bars: number, indicators: number): LibraryPass {
  const middle = median(seconds);
  return {
    seconds: middle,
    minSeconds: Math.min(...seconds),
    indicatorBarsPerSecond: (bars * indicators) / middle,
    barsPerSecond: bars / middle,
  };
}

/** One batch pass; adds each indicator's seconds to `byIndicator`. */
function batchPass(members: readonly Member[], columns: BarColumns, byIndicator: number[][]): number {
  const started = now();
  for (let k = 0; k < members.length; k++) {
    const { definition, parameters, outputs } = members[k];
    const t0 = now();
    definition.computeBatchInto(parameters, columns, outputs, BENCH_CONTEXT);
    byIndicator[k].push(now() - t0);
    sink.value += outputs[0][columns.length - 1] || 0;
  }
  return now() - started;
}

/** One streaming pass: fresh streams, every bar through every stream. */
function streamPass(members: readonly Member[], bars: readonly StreamInput[]): number {
  const started = now();
  const streams: IndicatorStream[] = members.map(({ definition, parameters }) => definition.createStream(parameters, BENCH_CONTEXT));
  const count = streams.length;
  let last = 0;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i];
    for (let k = 0; k < count; k++) last += streams[k].update(bar)[0] || 0;
  }
  const elapsed = now() - started;
  sink.value += last;
  return elapsed;
}

/** Runs the pass over `columns` for the indicators with the given ids (all when undefined). */
export function runLibrary(columns: BarColumns, ids?: readonly string[]): LibraryResult {
  const errors: Record<string, string> = {};
  const members: Member[] = [];
  for (const definition of INDICATORS) {
    if (ids && !ids.includes(definition.id)) continue;
    try {
      const parameters = resolveParameters(definition, {});
      const outputs = definition.outputs.map(() => new Float64Array(columns.length).fill(0));
      // Checks the indicator runs at all (and over the whole series) before it joins the timed passes.
      definition.computeBatchInto(parameters, columns, outputs, BENCH_CONTEXT);
      const stream = definition.createStream(parameters, BENCH_CONTEXT);
      const probe = Math.min(columns.length, 1000);
      for (let i = 0; i < probe; i++) {
        stream.update(barAt(columns, i));
      }
      members.push({ definition, parameters, outputs });
    } catch (error) {
      errors[definition.id] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }

  const bars: StreamInput[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    bars[i] = barAt(columns, i);
  }

  const byIndicator: number[][] = members.map(() => []);
  batchPass(members, columns, members.map(() => [])); // warm-up
  const batchSeconds: number[] = [];
  for (let p = 0; p < PASSES; p++) batchSeconds.push(batchPass(members, columns, byIndicator));

  streamPass(members, bars); // warm-up
  const streamSeconds: number[] = [];
  for (let p = 0; p < PASSES; p++) streamSeconds.push(streamPass(members, bars));

  return {
    bars: columns.length,
    indicators: members.map((member) => member.definition.id),
    passes: PASSES,
    batch: pass(batchSeconds, columns.length, members.length),
    stream: pass(streamSeconds, columns.length, members.length),
    batchSecondsByIndicator: Object.fromEntries(members.map((member, k) => [member.definition.id, median(byIndicator[k])])),
    errors,
    sink: sink.value,
  };
}

/** The pass as README lines. */
export function libraryLines(result: LibraryResult): string[] {
  const m = (value: number): string => (value / 1e6).toFixed(value >= 1e8 ? 0 : value >= 1e7 ? 1 : 2);
  const bars = result.bars.toLocaleString("en-US");
  const count = result.indicators.length;
  const line = (name: string, figures: LibraryPass): string =>
    `| ${name} | ${figures.seconds.toFixed(2)} s | ${m(figures.indicatorBarsPerSecond)} M | ${(figures.barsPerSecond / 1e3).toFixed(0)} k |`;
  const lines = [
    `## Full library: all ${count} indicators, default parameters, ${bars} bars (median of ${result.passes} passes)`,
    "",
    "| pass | seconds | bars × indicators / s | bars / s (whole library) |",
    "|:---|---:|---:|---:|",
    line("batch: computeBatchInto, buffers allocated once", result.batch),
    line("streaming: createStream, update per bar (every stream per bar)", result.stream),
  ];
  const slowest = Object.entries(result.batchSecondsByIndicator)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id, seconds]) => `${id} ${(seconds * 1000).toFixed(0)} ms`);
  lines.push("", `- Slowest in the batch pass: ${slowest.join(", ")}.`);
  const failed = Object.entries(result.errors);
  if (failed.length > 0) lines.push(`- Left out (threw): ${failed.map(([id, message]) => `${id}: ${message}`).join("; ")}.`);
  return lines;
}

if (require.main === module) {
  const [barsFile, idList] = process.argv.slice(2);
  const result = runLibrary(readBarsBinary(barsFile), idList ? idList.split(",") : undefined);
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result));
}
