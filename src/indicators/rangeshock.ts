import { PriceField } from "../domain/bar";
import { RANGE_WORKED_BARS } from "./arp";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/**
 * The ranges (high - low) of the last `period` bars before the current one, with their running sum and how many of
 * them are not 0. The sum is kept as TA-Lib keeps an SMA's (add the newest, subtract the leaving), and set to exactly 0
 * whenever every range in the window is 0, so a flat window is recognised exactly (no rounding residue). Batch and
 * stream both run it, so they agree bit for bit.
 */
class TrailingRanges {
  private readonly window: RingBuffer;
  private sum = 0;
  /** Ranges in the window that are not 0. */
  private nonZero = 0;
  /** Ranges pushed so far. */
  private pushed = 0;

  /** @param period window length in bars, >= 1 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
  }

  /**
   * The range shock of a bar of range `range` against the window: range / (sum / period); NaN while fewer than
   * `period` ranges were pushed, or when every range in the window is 0 (the mean range is 0: no scale to compare with).
   */
  shock(range: number): number {
    if (this.pushed < this.period || this.nonZero === 0) return NaN;
    return range / (this.sum / this.period);
  }

  /** Adds the range of a bar that is now before the current one; the oldest leaves once the window is full. */
  push(range: number): void {
    const full = this.pushed >= this.period;
    const leaving = full ? this.window.ago(this.period - 1) : 0;
    this.window.push(range);
    this.pushed++;
    this.nonZero += (range !== 0 ? 1 : 0) - (full && leaving !== 0 ? 1 : 0);
    this.sum = this.nonZero === 0 ? 0 : this.sum + range - leaving;
  }
}

/** Streaming range shock: the bar's range against the `TrailingRanges` of the bars before it. */
class RangeShockStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly ranges: TrailingRanges;
  count = 0;

  constructor(period: number) {
    this.ranges = new TrailingRanges(period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const range = bar.high - bar.low;
    this.output[0] = this.ranges.shock(range);
    this.ranges.push(range);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.ranges.shock(bar.high - bar.low);
    return this.previewed;
  }
}

/**
 * Range Shock (qlir's range shock): the bar's range against the mean range of the `period` bars before it,
 * value[i] = (high[i] - low[i]) / ((1 / period) × Σ_{j = i - period .. i - 1} (high[j] - low[j])).
 * Rows used [i - period .. i] (the average over rows i - period .. i - 1, the numerator at row i; lookback `period`),
 * written at row i. 1 is an ordinary bar, 3 a bar three times as wide as the recent ones (a shock), 0.3 a narrow one.
 * When the mean range is 0 (every bar of the window has high = low, e.g. a halted or untraded market) the ratio has no
 * scale: the value is NaN (undefined) there, whatever the bar's own range.
 * Parameters: `period` (bars, default 20, [1, 100000]). Inputs high, low. Output `value`, a dimensionless ratio >= 0,
 * defined from row `period`. The mean uses a running sum (as TA-Lib's SMA), so its last bits depend on the start row.
 * Warm-up = lookback (a finite window).
 */
export const rangeshock: IndicatorDefinition = defineIndicator({
  id: "rangeshock",
  name: "Range Shock",
  description:
    "Volatility: the bar's range (high − low) divided by the mean range of the `period` bars before it (the current bar excluded), value = range[i] / mean(range[i − period .. i − 1]); rows used [i − period .. i]. 1 is an ordinary bar, 3 a bar three times the recent ranges (a volatility shock). NaN when the mean range is 0.",
  source: "qlir's range shock op: bar range over the mean range of the preceding N bars.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [periodParameter("period", "Number of bars before the current one whose mean range is the denominator.", 20, 1)],
  inputs: [PriceField.HIGH, PriceField.LOW],
  outputs: [{ name: "value", description: "The bar's range over the mean range of the bars before it (a ratio).", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "qlir (github.com/Trones21/qlir), range shock: range / mean(range of the previous N bars), the current bar excluded from the mean " +
      "(Candela's brief of the op). Values below computed by hand (e.g. period 3, row 3: ranges 0.6, 0.7, 0.5 average 0.6, the bar's " +
      "range 0.9 gives 1.5), checked with exact fractions (Python's fractions.Fraction), independently of this module.",
    cases: [
      {
        parameters: { period: 3 },
        bars: RANGE_WORKED_BARS,
        expected: { value: [null, null, null, 1.5, 1.0, 0.7142857142857143, 1.1428571428571428, 0.75, 1.3333333333333333, 1.2857142857142858] },
      },
      {
        parameters: { period: 5 },
        bars: RANGE_WORKED_BARS,
        expected: { value: [null, null, null, null, null, 0.7352941176470589, 1.2121212121212122, 0.7352941176470589, 1.1764705882352942, 1.3636363636363635] },
      },
    ],
  },
  testCases: [{}, { period: 1 }, { period: 5 }, { period: 100 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
  writeBatch({ period }, { high, low, length }, [value]) {
    const ranges = new TrailingRanges(period);
    for (let i = 0; i < length; i++) {
      const range = high[i] - low[i];
      value[i] = ranges.shock(range);
      ranges.push(range);
    }
  },
  createStream: ({ period }) => new RangeShockStream(period),
});
