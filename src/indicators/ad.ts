import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { checkTolerance } from "./warmup";

/**
 * One accumulation/distribution step in TA-Lib's order: the close location value ((close - low) - (high - close)) /
 * (high - low), from -1 at the low to 1 at the high, times the volume, added to the total; a bar without range adds
 * nothing.
 */
export function adStep(ad: number, high: number, low: number, close: number, volume: number): number {
  const range = high - low;
  return range > 0 ? ad + ((close - low - (high - close)) / range) * volume : ad;
}

/** Streaming A/D line; same steps as the batch form. */
class AdStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private ad = 0;
  count = 0;

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.ad = adStep(this.ad, bar.high, bar.low, bar.close, bar.volume);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = adStep(this.ad, bar.high, bar.low, bar.close, bar.volume);
    return this.previewed;
  }
}

/**
 * Chaikin Accumulation/Distribution line: the running total, from 0 before the first bar, of each bar's volume
 * weighted by where the close sits in the bar's range (+1 at the high, -1 at the low). No parameters. Output
 * `value` in volume units, defined from row 0 (rows used [0 .. i]).
 * Warm-up is infinite, as OBV's: the level depends on the first bar of the series; changes over a range do not.
 */
export const ad: IndicatorDefinition = defineIndicator({
  id: "ad",
  name: "Chaikin Accumulation/Distribution Line",
  description:
    "Cumulative volume weighted by the close's position in each bar's range. Its trend (not its level, which depends on the start of the series) shows buying or selling pressure.",
  source: "Marc Chaikin; matches TA-Lib TA_AD.",
  version: 1,
  group: IndicatorGroup.VOLUME,
  parameters: [],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE, PriceField.VOLUME],
  outputs: [{ name: "value", description: "Accumulated range-weighted volume since the first bar, in volume units.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "AD",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE, volume: PriceField.VOLUME },
    options: {},
    outputs: ["outReal"],
  },
  testCases: [{}],
  read: () => undefined,
  lookback: () => 0,
  warmup(_settings, tolerance) {
    checkTolerance(tolerance);
    return Number.POSITIVE_INFINITY;
  },
  writeBatch(_settings, columns, [value]) {
    const { high, low, close, volume } = columns;
    let total = 0;
    for (let i = 0; i < columns.length; i++) value[i] = total = adStep(total, high[i], low[i], close[i], volume[i]);
  },
  createStream: () => new AdStream(),
});
