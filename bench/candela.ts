/**
 * Candela's own indicators, measured through the public indicator contract
 * (src/indicators/indicator.ts) exactly as the feature engine calls them:
 *
 * - batch into reused buffers: `computeBatchInto(parameters, columns, outputs)` over the Float64Array
 *   columns of all bars, writing into output columns allocated and touched once before timing (what
 *   the C kernel's "preallocated" figure measures);
 * - batch with fresh outputs: `computeBatch(parameters, columns)`, which allocates a new Float64Array per
 *   output on every call (compared with the C kernel's "fresh outputs" figure);
 * - streaming: a fresh `createStream(parameters)` fed every bar with `update(bar)`, each bar just written
 *   and in cache as in live ingest (bench/hot-bar-feed.ts), and, for comparison, from a million prebuilt
 *   bar objects in memory;
 * - stream ceiling: a loop that only reads the indicator's input fields from the same bar objects and
 *   sums them, no indicator at all. No streaming implementation over bar objects can beat it.
 *
 * Definitions come from the registry (`getIndicator`) and parameters from `resolveParameters`, so a
 * renamed parameter or id fails loudly here instead of silently measuring something else. Every call gets
 * the bench's series context (bench/cases.ts: 1m bars, always open), as the feature engine passes one.
 */
import type { BarColumns } from "../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters, StreamInput } from "../src/indicators/indicator";
import { getIndicator } from "../src/indicators/registry";
import { resolveParameters } from "../src/indicators/parameters";
import type { SeriesContext } from "../src/indicators/series-context";
import { BENCH_CONTEXT } from "./cases";
import type { HotBarFeed } from "./hot-bar-feed";
import type { Runnable } from "./peers";
import type { TimedRun } from "./timing";

/** A Candela indicator with its resolved parameters. */
export interface CandelaIndicator {
  readonly definition: IndicatorDefinition;
  readonly parameters: IndicatorParameters;
  readonly context: SeriesContext;
}

/** Looks the indicator up in the registry and resolves the given parameters. */
export function candelaIndicator(id: string, given: Readonly<Record<string, number>>): CandelaIndicator {
  const definition = getIndicator(id);
  return { definition, parameters: resolveParameters(definition, given), context: BENCH_CONTEXT };
}

/**
 * Batch into output columns allocated once, before timing, and faulted in (as the C harness's memset);
 * every run overwrites them. Returns the first output on the last row.
 */
export function candelaBatchIntoRunnable(indicator: CandelaIndicator, columns: BarColumns): Runnable {
  const { definition, parameters, context } = indicator;
  const outputs = definition.outputs.map(() => new Float64Array(columns.length).fill(0));
  const last = columns.length - 1;
  return () => {
    definition.computeBatchInto(parameters, columns, outputs, context);
    return outputs[0][last];
  };
}

/** Batch over all columns into new output columns (computeBatch); returns the first output on the last row. */
export function candelaBatchRunnable(indicator: CandelaIndicator, columns: BarColumns): Runnable {
  const { definition, parameters, context } = indicator;
  return () => {
    const outputs = definition.computeBatch(parameters, columns, context);
    return outputs[0][outputs[0].length - 1];
  };
}

/** Streaming over every bar; returns the first output after the last bar. */
export function candelaStreamRunnable(indicator: CandelaIndicator, bars: readonly StreamInput[]): Runnable {
  const { definition, parameters, context } = indicator;
  return () => {
    const stream = definition.createStream(parameters, context);
    let result: Float64Array | undefined;
    for (let i = 0; i < bars.length; i++) result = stream.update(bars[i]);
    return result === undefined ? NaN : result[0];
  };
}

/**
 * Streaming with each bar just written, in cache (bench/hot-bar-feed.ts); returns the first output after
 * the last bar. Only the updates are timed.
 */
export function candelaHotStreamRunnable(indicator: CandelaIndicator, feed: HotBarFeed): () => TimedRun {
  const { definition, parameters, context } = indicator;
  return () => {
    const stream = definition.createStream(parameters, context);
    return feed.replay((pool, count) => {
      // Locals only: a captured variable written per bar would add a heap store to every update.
      const local = stream;
      let result = local.update(pool[0]);
      for (let i = 1; i < count; i++) result = local.update(pool[i]);
      return result[0];
    });
  };
}

/**
 * The ceiling for any streaming implementation over bar objects: reads (at least) the fields the indicator
 * reads (`inputs`) from every bar object and sums them: close; close, volume; high, low, close; the same
 * and volume; or all five when it reads open. Returns the sum.
 */
export function streamCeilingRunnable(indicator: CandelaIndicator, bars: readonly StreamInput[]): Runnable {
  const fields = indicator.definition.inputs;
  // One specialized loop per input shape, so the loop does nothing but the property loads.
  const has = (field: string): boolean => fields.some((each) => each === field);
  if (has("open")) {
    return () => {
      let sum = 0;
      for (let i = 0; i < bars.length; i++) {
        const bar = bars[i];
        sum += bar.open + bar.high + bar.low + bar.close + bar.volume;
      }
      return sum;
    };
  }
  if (has("high") && has("volume")) {
    return () => {
      let sum = 0;
      for (let i = 0; i < bars.length; i++) {
        const bar = bars[i];
        sum += bar.high + bar.low + bar.close + bar.volume;
      }
      return sum;
    };
  }
  if (has("high")) {
    return () => {
      let sum = 0;
      for (let i = 0; i < bars.length; i++) {
        const bar = bars[i];
        sum += bar.high + bar.low + bar.close;
      }
      return sum;
    };
  }
  if (has("volume")) {
    return () => {
      let sum = 0;
      for (let i = 0; i < bars.length; i++) {
        const bar = bars[i];
        sum += bar.close + bar.volume;
      }
      return sum;
    };
  }
  return () => {
    let sum = 0;
    for (let i = 0; i < bars.length; i++) sum += bars[i].close;
    return sum;
  };
}

/** Every output's value on the last row, from both batch forms and from streaming (for the C cross-check). */
export function candelaLastRows(
  indicator: CandelaIndicator,
  columns: BarColumns,
  bars: readonly StreamInput[],
): { batch: number[]; batchInto: number[]; stream: number[] } {
  const { definition, parameters, context } = indicator;
  const batch = definition.computeBatch(parameters, columns, context).map((column) => column[column.length - 1]);
  const outputs = definition.outputs.map(() => new Float64Array(columns.length).fill(-1));
  definition.computeBatchInto(parameters, columns, outputs, context);
  const batchInto = outputs.map((column) => column[column.length - 1]);
  const stream = definition.createStream(parameters, context);
  let last: Float64Array = new Float64Array(0);
  for (let i = 0; i < bars.length; i++) last = stream.update(bars[i]);
  return { batch, batchInto, stream: Array.from(last) };
}
