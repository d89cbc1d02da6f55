import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { rollingExtremeColumn } from "./rolling-extreme-column";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";
import { WindowExtremes } from "./window-extremes";

/** %R in TA-Lib's order: (highest - close) / ((highest - lowest) / -100), 0 when the window has no range. */
function williamsR(highest: number, lowest: number, close: number): number {
  const scale = (highest - lowest) / -100;
  return scale !== 0 ? (highest - close) / scale : 0;
}

/** Batch %R: the window's extremes (`rollingExtremeColumn`, the values the stream's deques pick), values from row period - 1. */
function willrColumn(high: Float64Array, low: Float64Array, close: Float64Array, length: number, period: number, out: Float64Array): void {
  const lowest = new Float64Array(length);
  rollingExtremeColumn(high, length, period, 1, out);
  rollingExtremeColumn(low, length, period, -1, lowest);
  for (let i = period - 1; i < length; i++) out[i] = williamsR(out[i], lowest[i], close[i]);
}

/** Streaming %R; same arithmetic as `willrColumn`. */
class WillrStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly extremes: WindowExtremes;
  count = 0;

  constructor(private readonly period: number) {
    this.extremes = new WindowExtremes(period);
  }

  update(bar: StreamInput): Float64Array {
    const { extremes } = this;
    extremes.next(bar.high, bar.low);
    this.output[0] = this.count++ < this.period - 1 ? NaN : williamsR(extremes.highest, extremes.lowest, bar.close);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { extremes } = this;
    extremes.peek(bar.high, bar.low);
    this.previewed[0] = this.count < this.period - 1 ? NaN : williamsR(extremes.peekedHighest, extremes.peekedLowest, bar.close);
    return this.previewed;
  }
}

/**
 * Williams %R: where the close sits in the range of the last `period` bars, from 0 (at the highest high) to -100 (at
 * the lowest low): (highest high - close) / (highest high - lowest low) × -100; 0 when the range is 0 (as TA-Lib).
 * Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in [-100, 0], defined from row period - 1
 * (rows used [i - period + 1 .. i], written at row i).
 */
export const willr: IndicatorDefinition = defineIndicator({
  id: "willr",
  name: "Williams %R",
  description: "Momentum: the close's position in the recent high-low range, 0 at the top, -100 at the bottom. Above -20 reads overbought, below -80 oversold.",
  source: "Larry Williams 1973; matches TA-Lib TA_WILLR.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars whose highest high and lowest low form the range.", 14)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  // Ratio of differences of prices on a 0..-100 scale: judged like the 0..100 oscillators.
  outputs: [{ name: "value", description: "Williams %R, from -100 to 0.", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "WILLR",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 60 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, columns, [value]) {
    willrColumn(columns.high, columns.low, columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new WillrStream(period),
});
