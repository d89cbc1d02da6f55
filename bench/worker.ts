/**
 * Measures every JavaScript implementation of ONE indicator case, in its own process.
 *
 * The orchestrator (indicators.bench.ts) forks one worker per indicator so each starts with a cold,
 * unpolluted JIT: measuring ten indicators through the same runner closures in one process would make
 * their call sites megamorphic and slow down whichever indicators happen to run later.
 *
 * Usage (via fork, with an IPC channel): node worker.js <case id> <bars.f64>
 * Sends one `WorkerResult` message to the parent and exits.
 */
import { readFileSync } from "node:fs";
import type { BarColumns } from "../src/domain/bar";
import {
  candelaBatchIntoRunnable,
  candelaBatchRunnable,
  candelaHotStreamRunnable,
  candelaIndicator,
  candelaLastRows,
  candelaStreamRunnable,
  streamCeilingRunnable,
} from "./candela";
import { CASES } from "./cases";
import {
  Candle,
  PeerInputs,
  Runnable,
  talibRunnable,
  technicalIndicatorsRunnable,
  tradingSignalsHotStreamRunnable,
  tradingSignalsStreamRunnable,
} from "./peers";
import { HotBarFeed } from "./hot-bar-feed";
import { Measurement, RunPlan, TimedRun, measure, measureSelfTimed, sink } from "./timing";

/** The implementations measured per case, in table order. */
export const IMPLEMENTATIONS = [
  "candelaBatchInto",
  "candelaBatch",
  "candelaStreamHot",
  "tradingSignalsStreamHot",
  "candelaStream",
  "streamCeiling",
  "talib",
  "tradingSignalsStream",
  "technicalIndicators",
] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Runs per implementation: the fast ones get more, the slow peers fewer (same 1M bars). */
export const PLANS: Record<Implementation, RunPlan> = {
  candelaBatchInto: { warmups: 5, runs: 15 },
  candelaBatch: { warmups: 3, runs: 7 },
  candelaStreamHot: { warmups: 3, runs: 7 },
  tradingSignalsStreamHot: { warmups: 2, runs: 5 },
  candelaStream: { warmups: 3, runs: 7 },
  streamCeiling: { warmups: 3, runs: 7 },
  talib: { warmups: 1, runs: 3 },
  tradingSignalsStream: { warmups: 1, runs: 3 },
  technicalIndicators: { warmups: 1, runs: 3 },
};

/** What a worker reports for its case. */
export interface WorkerResult {
  readonly id: string;
  readonly measurements: Partial<Record<Implementation, Measurement>>;
  readonly errors: Partial<Record<Implementation, string>>;
  /** Candela's outputs on the last row (declaration order), for the cross-check against C. */
  readonly candelaLastRow?: { batch: number[]; batchInto: number[]; stream: number[] };
  readonly sink: number;
}

/** Reads the five-column binary written by bench/data.ts back into columns. */
export function readBarsBinary(path: string): BarColumns {
  const bytes = readFileSync(path);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const n = all.length / 5;
  const openTime = new Float64Array(n);
  for (let i = 0; i < n; i++) openTime[i] = i * 60_000;
  return {
    length: n,
    openTime,
    open: all.subarray(0, n),
    high: all.subarray(n, 2 * n),
    low: all.subarray(2 * n, 3 * n),
    close: all.subarray(3 * n, 4 * n),
    volume: all.subarray(4 * n, 5 * n),
  };
}

/** The bars as plain arrays and one object per bar. */
function peerInputs(columns: BarColumns): PeerInputs {
  const candles: Candle[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    candles[i] = {
      openTime: columns.openTime[i],
      open: columns.open[i],
      high: columns.high[i],
      low: columns.low[i],
      close: columns.close[i],
      volume: columns.volume[i],
    };
  }
  return {
    length: columns.length,
    open: Array.from(columns.open),
    high: Array.from(columns.high),
    low: Array.from(columns.low),
    close: Array.from(columns.close),
    volume: Array.from(columns.volume),
    candles,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Measures all implementations of one case. */
export function measureCase(id: string, columns: BarColumns): WorkerResult {
  const benchCase = CASES.find((c) => c.id === id);
  if (!benchCase) throw new Error(`unknown case ${id}`);
  const inputs = peerInputs(columns);
  const measurements: Partial<Record<Implementation, Measurement>> = {};
  const errors: Partial<Record<Implementation, string>> = {};
  let candelaLastRow: WorkerResult["candelaLastRow"];

  const feed = new HotBarFeed(columns);
  // Runnables are timed whole; self-timed ones (the hot-bar streams) time only their updates.
  const runnables: Partial<Record<Implementation, () => Runnable>> = {
    talib: () => talibRunnable(id, inputs),
    tradingSignalsStream: () => tradingSignalsStreamRunnable(id, inputs),
    technicalIndicators: () => technicalIndicatorsRunnable(id, inputs),
  };
  const selfTimed: Partial<Record<Implementation, () => () => TimedRun>> = {
    tradingSignalsStreamHot: () => tradingSignalsHotStreamRunnable(id, feed),
  };
  try {
    const indicator = candelaIndicator(id, benchCase.parameters);
    candelaLastRow = candelaLastRows(indicator, columns, inputs.candles);
    runnables.candelaBatchInto = () => candelaBatchIntoRunnable(indicator, columns);
    runnables.candelaBatch = () => candelaBatchRunnable(indicator, columns);
    selfTimed.candelaStreamHot = () => candelaHotStreamRunnable(indicator, feed);
    runnables.candelaStream = () => candelaStreamRunnable(indicator, inputs.candles);
    runnables.streamCeiling = () => streamCeilingRunnable(indicator, inputs.candles);
  } catch (error) {
    errors.candelaBatchInto = errors.candelaBatch = errors.candelaStreamHot = errors.candelaStream = errorMessage(error);
  }

  for (const implementation of IMPLEMENTATIONS) {
    const whole = runnables[implementation];
    const timed = selfTimed[implementation];
    try {
      if (whole) measurements[implementation] = measure(columns.length, PLANS[implementation], whole());
      else if (timed) measurements[implementation] = measureSelfTimed(columns.length, PLANS[implementation], timed());
    } catch (error) {
      errors[implementation] = errorMessage(error);
    }
  }
  return { id, measurements, errors, candelaLastRow, sink: sink.value };
}

if (require.main === module) {
  const [id, barsFile] = process.argv.slice(2);
  const result = measureCase(id, readBarsBinary(barsFile));
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result));
}
