/**
 * Measures every JavaScript implementation of ONE indicator case, in its own process.
 *
 * The orchestrator (indicators.bench.ts) forks one worker per indicator so each starts with a cold,
 * unpolluted JIT: measuring many indicators through the same runner closures in one process would make
 * their call sites megamorphic and slow down whichever indicators happen to run later.
 *
 * Usage (via fork, with an IPC channel): node worker.js <case id> <bars.f64> [core]
 * Sends one `WorkerResult` message to the parent and exits.
 */
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
import { readBarsBinary } from "./data";
import {
  Candle,
  PeerInputs,
  Runnable,
  hasTechnicalIndicators,
  hasTradingSignals,
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

/**
 * The peers measured in a "core" round (see indicators.bench.ts) are all but these: the slow peers whose
 * columns carry no target (the talib binding, trading-signals from memory, technicalindicators).
 */
export const SLOW_PEERS: ReadonlySet<Implementation> = new Set(["talib", "tradingSignalsStream", "technicalIndicators"]);

/** What a worker reports for its case. */
export interface WorkerResult {
  readonly id: string;
  readonly measurements: Partial<Record<Implementation, Measurement>>;
  readonly errors: Partial<Record<Implementation, string>>;
  /** Candela's outputs on the last row (declaration order), for the cross-check against C. */
  readonly candelaLastRow?: { batch: number[]; batchInto: number[]; stream: number[] };
  readonly sink: number;
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

/**
 * Measures the implementations of one case: all of them, or with `core` all but SLOW_PEERS (and without
 * the last-row cross-check, which the full round does).
 */
export function measureCase(id: string, columns: BarColumns, core = false): WorkerResult {
  const benchCase = CASES.find((c) => c.id === id);
  if (!benchCase) throw new Error(`unknown case ${id}`);
  const inputs = peerInputs(columns);
  const measurements: Partial<Record<Implementation, Measurement>> = {};
  const errors: Partial<Record<Implementation, string>> = {};
  let candelaLastRow: WorkerResult["candelaLastRow"];

  const feed = new HotBarFeed(columns);
  // Runnables are timed whole; self-timed ones (the hot-bar streams) time only their updates.
  // Peers only where they have the indicator (bench/cases.ts); the rest stay unmeasured ("—").
  const { parameters, kernel } = benchCase;
  const runnables: Partial<Record<Implementation, () => Runnable>> = {};
  const selfTimed: Partial<Record<Implementation, () => () => TimedRun>> = {};
  if (kernel) runnables.talib = () => talibRunnable(kernel, inputs);
  if (hasTradingSignals(id)) {
    runnables.tradingSignalsStream = () => tradingSignalsStreamRunnable(id, parameters, inputs);
    selfTimed.tradingSignalsStreamHot = () => tradingSignalsHotStreamRunnable(id, parameters, feed);
  }
  if (hasTechnicalIndicators(id)) runnables.technicalIndicators = () => technicalIndicatorsRunnable(id, parameters, inputs);
  try {
    const indicator = candelaIndicator(id, benchCase.parameters);
    if (!core) candelaLastRow = candelaLastRows(indicator, columns, inputs.candles);
    runnables.candelaBatchInto = () => candelaBatchIntoRunnable(indicator, columns);
    runnables.candelaBatch = () => candelaBatchRunnable(indicator, columns);
    selfTimed.candelaStreamHot = () => candelaHotStreamRunnable(indicator, feed);
    runnables.candelaStream = () => candelaStreamRunnable(indicator, inputs.candles);
    runnables.streamCeiling = () => streamCeilingRunnable(indicator, inputs.candles);
  } catch (error) {
    errors.candelaBatchInto = errors.candelaBatch = errors.candelaStreamHot = errors.candelaStream = errorMessage(error);
  }

  for (const implementation of IMPLEMENTATIONS) {
    if (core && SLOW_PEERS.has(implementation)) continue;
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
  const [id, barsFile, mode] = process.argv.slice(2);
  const result = measureCase(id, readBarsBinary(barsFile), mode === "core");
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result));
}
