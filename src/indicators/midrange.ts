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

/** The two bar fields whose window extremes are averaged: the highest of `upper`, the lowest of `lower`. */
type PricePair = readonly [upper: PriceField.HIGH | PriceField.CLOSE, lower: PriceField.LOW | PriceField.CLOSE];

/**
 * Batch midrange: (highest of `upper` + lowest of `lower`) / 2 over the last `period` rows, from row period - 1; the
 * extremes from `rollingExtremeColumn` (the same values the stream's deques pick).
 */
function midrangeColumn(upper: Float64Array, lower: Float64Array, length: number, period: number, out: Float64Array): void {
  const lowest = new Float64Array(length);
  rollingExtremeColumn(upper, length, period, 1, out);
  rollingExtremeColumn(lower, length, period, -1, lowest);
  for (let i = period - 1; i < length; i++) out[i] = (out[i] + lowest[i]) / 2;
}

/** Streaming midrange; same arithmetic as `midrangeColumn`. */
class MidrangeStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly extremes: WindowExtremes;
  count = 0;

  constructor(
    private readonly period: number,
    private readonly fields: PricePair,
  ) {
    this.extremes = new WindowExtremes(period);
  }

  update(bar: StreamInput): Float64Array {
    const { extremes } = this;
    extremes.next(bar[this.fields[0]], bar[this.fields[1]]);
    this.output[0] = this.count++ < this.period - 1 ? NaN : (extremes.highest + extremes.lowest) / 2;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { extremes } = this;
    extremes.peek(bar[this.fields[0]], bar[this.fields[1]]);
    this.previewed[0] = this.count < this.period - 1 ? NaN : (extremes.peekedHighest + extremes.peekedLowest) / 2;
    return this.previewed;
  }
}

/** The definition shared by MIDPOINT and MIDPRICE, which differ only in the fields they read. */
function midrangeIndicator(id: "midpoint" | "midprice", fields: PricePair, text: { name: string; description: string; output: string }): IndicatorDefinition {
  const [upper, lower] = fields;
  const talibInputs = upper === lower ? { inReal: upper } : { high: PriceField.HIGH, low: PriceField.LOW };
  return defineIndicator({
    id,
    name: text.name,
    description: text.description,
    source: `Midrange of a window; matches TA-Lib TA_${id.toUpperCase()}.`,
    version: 1,
    group: IndicatorGroup.TREND,
    parameters: [periodParameter("period", "Number of bars in the window.", 14)],
    inputs: upper === lower ? [upper] : [upper, lower],
    outputs: [{ name: "value", description: text.output, scale: ToleranceScale.VALUE }],
    reference: { kind: ReferenceKind.TALIB, function: id.toUpperCase(), inputs: talibInputs, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
    testCases: [{}, { period: 2 }, { period: 100 }],
    read: readPeriod,
    lookback: ({ period }) => period - 1,
    warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
    writeBatch({ period }, columns, [value]) {
      midrangeColumn(columns[upper], columns[lower], columns.length, period, value);
    },
    createStream: ({ period }) => new MidrangeStream(period, fields),
  });
}

/**
 * Midpoint of the close: (highest close + lowest close) / 2 over the last `period` bars (rows used
 * [i - period + 1 .. i], written at row i). Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in
 * the price's unit, defined from row period - 1.
 */
export const midpoint: IndicatorDefinition = midrangeIndicator("midpoint", [PriceField.CLOSE, PriceField.CLOSE], {
  name: "Midpoint of the close",
  description: "Trend: halfway between the highest and the lowest close of the window.",
  output: "Midpoint of the window's closes, in the price's unit.",
});

/**
 * Midpoint price: (highest high + lowest low) / 2 over the last `period` bars (rows used [i - period + 1 .. i],
 * written at row i); the middle line of a Donchian channel. Parameters: `period` (bars, default 14, [2, 100000]).
 * Output `value` in the price's unit, defined from row period - 1.
 */
export const midprice: IndicatorDefinition = midrangeIndicator("midprice", [PriceField.HIGH, PriceField.LOW], {
  name: "Midpoint price",
  description: "Trend: halfway between the highest high and the lowest low of the window.",
  output: "Midpoint of the window's high-low range, in the price's unit.",
});
