import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { rollingExtremeColumn } from "./rolling-extreme-column";
import { SlidingMaximum } from "./sliding-maximum";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/**
 * Ten bars for the worked examples of the cited reference: a high equalled two bars later (rows 3 and 5),
 * the lowest low leaving the window and the next lowest taking over (rows 0 and 2), a new lowest low (row 6).
 */
const WORKED_EXAMPLE = [
  { high: 10.0, low: 9.0 },
  { high: 10.5, low: 9.5 },
  { high: 10.2, low: 9.1 },
  { high: 11.0, low: 10.0 },
  { high: 10.8, low: 9.8 },
  { high: 11.0, low: 9.2 },
  { high: 9.9, low: 8.7 },
  { high: 10.4, low: 9.6 },
  { high: 11.3, low: 10.2 },
  { high: 10.6, low: 9.9 },
];

/** The middle line: halfway between the channel's upper and lower lines. */
function middleOf(upper: number, lower: number): number {
  return (upper + lower) / 2;
}

/**
 * Batch Donchian channel: the highs' and lows' window extremes from `rollingExtremeColumn` (the values the stream's deques pick),
 * written from row period - 1.
 */
function donchianColumns(
  high: Float64Array,
  low: Float64Array,
  length: number,
  period: number,
  upper: Float64Array,
  middle: Float64Array,
  lower: Float64Array,
): void {
  rollingExtremeColumn(high, length, period, 1, upper);
  rollingExtremeColumn(low, length, period, -1, lower);
  for (let i = period - 1; i < length; i++) middle[i] = middleOf(upper[i], lower[i]);
}

/** Writes upper, middle and lower (stream and preview). */
function writeChannel(output: Float64Array, upper: number, lower: number): void {
  output[0] = upper;
  output[1] = middleOf(upper, lower);
  output[2] = lower;
}

/** Streaming Donchian channel over two `SlidingMaximum`s, which pick what the batch form's `rollingExtremeColumn` picks. */
class DonchianStream implements IndicatorStream {
  private readonly output = new Float64Array(3);
  private readonly previewed = new Float64Array(3);
  private readonly highs: SlidingMaximum;
  private readonly negatedLows: SlidingMaximum;
  private readonly lookback: number;
  count = 0;

  constructor(period: number) {
    this.highs = new SlidingMaximum(period);
    this.negatedLows = new SlidingMaximum(period);
    this.lookback = period - 1;
  }

  update(bar: StreamInput): Float64Array {
    const top = this.highs.next(bar.high);
    const bottom = -this.negatedLows.next(-bar.low);
    if (this.count++ < this.lookback) this.output.fill(NaN);
    else writeChannel(this.output, top, bottom);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    if (this.count < this.lookback) this.previewed.fill(NaN);
    else writeChannel(this.previewed, this.highs.peek(bar.high), -this.negatedLows.peek(-bar.low));
    return this.previewed;
  }
}

/**
 * Donchian Channels: upper = highest high of the last `period` bars (the current one included), lower =
 * lowest low of the same bars, middle = (upper + lower) / 2.
 * Parameters: `period` (bars, default 20, [2, 100000]). Outputs `upper`, `middle`, `lower` in the price's
 * unit, defined from row period - 1; warm-up = lookback (a finite window, no arithmetic but the midpoint).
 * Group VOLATILITY: an envelope of the recent range, like Bollinger Bands; its width is the range itself.
 * O(1) amortized per bar (monotonic deques), batch and stream alike.
 */
export const donchian: IndicatorDefinition = defineIndicator({
  id: "donchian",
  name: "Donchian Channels",
  description:
    "Price envelope: the highest high and lowest low of the last `period` bars (the current one included) and their midpoint. A bar whose high is the upper line has made a new `period`-bar high, the classic breakout signal (the Turtle traders' 20- and 55-bar rules); the channel's width is the recent range.",
  source: "Richard Donchian; the standard definition as in StockCharts ChartSchool, current bar included. TA-Lib has no Donchian function.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [periodParameter("period", "Number of bars of the high-low window, the current one included.", 20)],
  inputs: [PriceField.HIGH, PriceField.LOW],
  outputs: [
    { name: "upper", description: "Highest high of the window, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "middle", description: "Midpoint of upper and lower, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "lower", description: "Lowest low of the window, in the price's unit.", scale: ToleranceScale.VALUE },
  ],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      'Richard Donchian\'s price channel as StockCharts ChartSchool, "Donchian Channels" defines it: upper channel = highest high of ' +
      "the last N periods, lower channel = lowest low of the last N periods, middle = (upper + lower) / 2, the current period included " +
      "(platforms that shift the channel one bar back for breakout signals compute a different variant). Values below computed by hand.",
    cases: [
      {
        parameters: { period: 3 },
        bars: WORKED_EXAMPLE,
        expected: {
          upper: [null, null, 10.5, 11.0, 11.0, 11.0, 11.0, 11.0, 11.3, 11.3],
          middle: [null, null, 9.75, 10.05, 10.05, 10.1, 9.85, 9.85, 10.0, 10.45],
          lower: [null, null, 9.0, 9.1, 9.1, 9.2, 8.7, 8.7, 8.7, 9.6],
        },
      },
      {
        parameters: { period: 5 },
        bars: WORKED_EXAMPLE,
        expected: {
          upper: [null, null, null, null, 11.0, 11.0, 11.0, 11.0, 11.3, 11.3],
          middle: [null, null, null, null, 10.0, 10.05, 9.85, 9.85, 10.0, 10.0],
          lower: [null, null, null, null, 9.0, 9.1, 8.7, 8.7, 8.7, 8.7],
        },
      },
    ],
  },
  testCases: [{}, { period: 2 }, { period: 55 }, { period: 200 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, columns, [upper, middle, lower]) {
    donchianColumns(columns.high, columns.low, columns.length, period, upper, middle, lower);
  },
  createStream: ({ period }) => new DonchianStream(period),
});
