import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** TA-Lib's TA_EPSILON: a path length this near 0 counts as none (efficiency 1). */
const EPSILON = 1e-14;
/** Smoothing constant of the slow end (a 30-bar EMA's), as TA-Lib. */
const SLOWEST = 2 / (30 + 1);
/** From the slow end's constant to the fast end's (a 2-bar EMA's). */
const SPREAD = 2 / (2 + 1) - SLOWEST;

/**
 * Kaufman's adaptive average one close at a time, in TA-Lib's order (TA_KAMA): the efficiency ratio |x - x[period
 * ago]| / Σ|one-bar changes| over the window (1 when the path length is 0 or not above the signed net change, as
 * TA-Lib compares), the smoothing constant (ratio × SPREAD + SLOWEST)², then kama += (x - kama) × constant. The path
 * length is a running sum: add the newest change after removing the leaving one. Shared by the batch and stream forms.
 */
class KamaState {
  private readonly closes: RingBuffer;
  private pathLength = 0;
  /** The close just before the window's oldest (the one whose change leaves next). */
  private trailing = NaN;
  private kama = NaN;
  /** Closes fed. */
  count = 0;

  constructor(private readonly period: number) {
    this.closes = new RingBuffer(period + 1);
  }

  /** Feeds a close; returns KAMA at it (NaN for the first `period` closes). */
  next(x: number): number {
    const row = this.count++;
    const { period, closes } = this;
    const previous = closes.ago(0);
    const oldest = closes.ago(period - 1);
    closes.push(x);
    if (row === 0) return NaN;
    if (row < period) {
      this.pathLength += Math.abs(previous - x);
      return NaN;
    }
    if (row === period) {
      this.pathLength += Math.abs(previous - x);
      this.kama = previous;
    } else {
      this.pathLength = this.pathLength - Math.abs(this.trailing - oldest) + Math.abs(x - previous);
    }
    this.trailing = oldest;
    this.kama = step(this.kama, x, x - oldest, this.pathLength);
    return this.kama;
  }

  /** What `next(x)` would return, without feeding the close. */
  peek(x: number): number {
    const row = this.count;
    const { period, closes } = this;
    if (row < period) return NaN;
    const previous = closes.ago(0);
    const oldest = closes.ago(period - 1);
    if (row === period) return step(previous, x, x - oldest, this.pathLength + Math.abs(previous - x));
    return step(this.kama, x, x - oldest, this.pathLength - Math.abs(this.trailing - oldest) + Math.abs(x - previous));
  }
}

/** One KAMA step from the net change over the window and its path length. */
function step(kama: number, x: number, netChange: number, pathLength: number): number {
  const efficiency = pathLength <= netChange || (-EPSILON < pathLength && pathLength < EPSILON) ? 1 : Math.abs(netChange / pathLength);
  let constant = efficiency * SPREAD + SLOWEST;
  constant *= constant;
  return (x - kama) * constant + kama;
}

/** Streaming KAMA; the batch form runs the same `KamaState`. */
class KamaStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly state: KamaState;

  constructor(period: number) {
    this.state = new KamaState(period);
  }

  get count(): number {
    return this.state.count;
  }

  update(bar: StreamInput): Float64Array {
    this.output[0] = this.state.next(bar.close);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.state.peek(bar.close);
    return this.previewed;
  }
}

/**
 * Kaufman Adaptive Moving Average of the close: an EMA whose smoothing constant moves between a 2-bar and a 30-bar
 * EMA's with the efficiency ratio of the last `period` bars (net change / sum of absolute one-bar changes), squared.
 * Parameters: `period` (bars of the efficiency ratio, default 30, [2, 100000]). Output `value` in the price's unit,
 * defined from row `period` (seeded with the close before it). Warm-up: as an EMA at its slowest,
 * retention 1 - (2/31)².
 */
export const kama: IndicatorDefinition = defineIndicator({
  id: "kama",
  name: "Kaufman Adaptive Moving Average",
  description: "Trend: an average that follows the price quickly when it trends and hardly moves when it chops.",
  source: "Perry Kaufman 1995; matches TA-Lib TA_KAMA.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars of the efficiency ratio.", 30)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "Kaufman's adaptive average of the close, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: { kind: ReferenceKind.TALIB, function: "KAMA", inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
  testCases: [{}, { period: 2 }, { period: 10 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, 1 - SLOWEST * SLOWEST, tolerance),
  writeBatch({ period }, columns, [value]) {
    const state = new KamaState(period);
    for (let i = 0; i < columns.length; i++) {
      const kamaValue = state.next(columns.close[i]);
      if (i >= period) value[i] = kamaValue;
    }
  },
  createStream: ({ period }) => new KamaStream(period),
});
