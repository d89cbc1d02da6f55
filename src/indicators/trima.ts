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
 * Triangular average one value at a time with TA-Lib's TA_TRIMA running sums. For half = floor(period / 2), the window's
 * older part (its first half + 1 values for an odd period, half for an even one) feeds `subtracted`, the newer part
 * `added`, and `numerator` = Σ weight·x with weights rising 1, 2, … to the middle and falling back to 1. The first
 * numerator is built from the window (older part newest to oldest, then newer part oldest to newest); each next bar
 * adjusts the three sums in TA-Lib's order (even periods move the middle value out of `added` before adding it to
 * the numerator, odd ones after). value = numerator × 1 / weight sum, the weight sum (half + 1)² (odd) or
 * half·(half + 1) (even).
 */
class TriangularAverage {
  private readonly window: RingBuffer;
  private readonly half: number;
  private readonly odd: boolean;
  private readonly factor: number;
  private numerator = 0;
  private subtracted = 0;
  private added = 0;
  /** Values fed so far. */
  count = 0;

  /** @param period window length, >= 2 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
    this.half = period >> 1;
    this.odd = period % 2 === 1;
    this.factor = 1 / (this.odd ? (this.half + 1) * (this.half + 1) : this.half * (this.half + 1));
  }

  /** Feeds the next value; returns the average, NaN for the first period - 1 values. */
  next(x: number): number {
    const row = this.count++;
    if (row < this.period - 1) {
      this.window.push(x);
      return NaN;
    }
    if (row === this.period - 1) this.build(x);
    else this.step(x);
    this.window.push(x);
    return this.numerator * this.factor;
  }

  /** What `next(x)` would return now, without changing the state. */
  peek(x: number): number {
    const row = this.count;
    if (row < this.period - 1) return NaN;
    const numerator = this.numerator;
    const subtracted = this.subtracted;
    const added = this.added;
    if (row === this.period - 1) this.build(x);
    else this.step(x);
    const value = this.numerator * this.factor;
    this.numerator = numerator;
    this.subtracted = subtracted;
    this.added = added;
    return value;
  }

  /** The first numerator, from the period - 1 values in the window and the newest, `x` (not yet pushed). */
  private build(x: number): void {
    const { window, period } = this;
    const valueAt = (i: number) => (i === period - 1 ? x : window.ago(period - 2 - i));
    // Oldest index of the newer part: half (odd) or half - 1 (even) values after the window's oldest.
    const middle = this.odd ? this.half : this.half - 1;
    let numerator = 0;
    let subtracted = 0;
    for (let i = middle; i >= 0; i--) {
      subtracted += valueAt(i);
      numerator += subtracted;
    }
    let added = 0;
    for (let i = middle + 1; i < period; i++) {
      added += valueAt(i);
      numerator += added;
    }
    this.numerator = numerator;
    this.subtracted = subtracted;
    this.added = added;
  }

  /** One bar's adjustment for the newest value `x` (not yet pushed): TA-Lib's steps 1 to 3. */
  private step(x: number): void {
    const { window, period, half } = this;
    const leaving = window.ago(period - 1);
    const middle = window.ago(half - 1);
    this.numerator -= this.subtracted;
    this.subtracted -= leaving;
    this.subtracted += middle;
    if (this.odd) {
      this.numerator += this.added;
      this.added -= middle;
    } else {
      this.added -= middle;
      this.numerator += this.added;
    }
    this.added += x;
    this.numerator += x;
  }
}

/**
 * Triangular Moving Average of the close: weights rising 1, 2, … to the middle of the window and falling back to 1,
 * i.e. an SMA of an SMA (periods (p + 1) / 2 twice for odd p; p / 2 and p / 2 + 1 for even p).
 * Parameters: `period` (bars, default 30, [2, 100000]). Output `value` in the price's unit, defined from row
 * period - 1. Running sums (TA-Lib's), so the last bits depend on where they started, as for SMA.
 */
export const trima: IndicatorDefinition = defineIndicator({
  id: "trima",
  name: "Triangular Moving Average",
  description: "Average weighted towards the middle of the window (an SMA of an SMA): smoother than the SMA, with the same lag.",
  source: "Double-smoothed SMA; matches TA-Lib TA_TRIMA (its running numerator).",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars averaged.", 30)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The triangular average of the close, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "TRIMA",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 3 }, { period: 5 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, { close, length }, [value]) {
    const average = new TriangularAverage(period);
    for (let i = 0; i < length; i++) value[i] = average.next(close[i]);
  },
  createStream: ({ period }) => new ValueStream(new TriangularAverage(period), (average, bar) => average.next(bar.close), (average, bar) => average.peek(bar.close)),
});
