import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { ToleranceScale } from "./tolerance-scale";
import { ValueStream } from "./value-stream";
import { finiteWarmup } from "./warmup";

/**
 * Sum of the weights 1..period. TA-Lib computes it in 32-bit ints and overflows above period 46340;
 * here it is exact for every allowed period (identical below 46341).
 */
function weightSum(period: number): number {
  return (period * (period + 1)) / 2;
}

/**
 * Batch WMA in TA-Lib's TA_WMA order: `weighted` holds sum(w_j x_j), `plain` the plain window sum;
 * each bar adds period*x to `weighted`, outputs, then subtracts `plain` (which shifts every weight down).
 */
function wmaColumn(input: Float64Array, length: number, period: number, out: Float64Array): void {
  const lag = period - 1;
  const divider = weightSum(period);
  let plain = 0;
  let weighted = 0;
  for (let i = 0; i < lag && i < length; i++) {
    const x = input[i];
    plain += x;
    weighted += x * (i + 1);
  }
  let trailing = 0;
  for (let i = lag; i < length; i++) {
    const x = input[i];
    plain += x;
    plain -= trailing;
    weighted += x * period;
    trailing = input[i - lag];
    out[i] = weighted / divider;
    weighted -= plain;
  }
}

/**
 * WMA one value at a time; same arithmetic as `wmaColumn`. Also the building block of indicators that take WMAs of
 * other values (Hull's moving average).
 */
export class WeightedAverage {
  private readonly window: RingBuffer;
  private readonly divider: number;
  private plain = 0;
  private weighted = 0;
  private trailing = 0;
  /** Values fed so far. */
  count = 0;

  /** @param period window length, >= 1 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
    this.divider = weightSum(period);
  }

  /** Feeds the next value; returns the WMA, NaN for the first period - 1 values. */
  next(x: number): number {
    const count = ++this.count;
    // The value leaving the window after this one (wmaColumn's input[i - lag]).
    const oldest = this.window.pushAndOldest(x);
    this.plain += x;
    if (count < this.period) {
      this.weighted += x * count;
      return NaN;
    }
    this.plain -= this.trailing;
    this.weighted += x * this.period;
    this.trailing = oldest;
    const value = this.weighted / this.divider;
    this.weighted -= this.plain;
    return value;
  }

  /** `next`'s output from `weighted` + x·period (the only part of the step the output depends on), without storing. */
  peek(x: number): number {
    return this.count + 1 < this.period ? NaN : (this.weighted + x * this.period) / this.divider;
  }
}

/**
 * Weighted Moving Average of the close: weights period, period-1, ..., 1 from the newest close back.
 * Parameters: `period` (bars, default 20, [2, 100000]). Output `value` in the price's unit, defined from
 * row period - 1. Incremental algorithm of TA-Lib TA_WMA (same rounding).
 */
export const wma: IndicatorDefinition = defineIndicator({
  id: "wma",
  name: "Weighted Moving Average",
  description:
    "Linearly weighted mean of the last `period` closes, newest weighted most. Less lag than an SMA of the same period.",
  source: "Linearly weighted mean; matches TA-Lib TA_WMA.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars weighted.", 20)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The weighted average close, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "WMA",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
    regtest: { function: "WMA", parameters: { timePeriod: "period" }, outputs: ["real"] },
  },
  testCases: [{}, { period: 2 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, columns, [value]) {
    wmaColumn(columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new ValueStream(new WeightedAverage(period), (average, bar) => average.next(bar.close), (average, bar) => average.peek(bar.close)),
});
