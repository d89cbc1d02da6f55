import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { checkTolerance } from "./warmup";

/**
 * Scratch for `obvStep`: [-0, volume, -volume, -0], indexed by the close's direction. One per batch call or
 * stream, so the step needs no allocation.
 */
function directionAddends(): Float64Array {
  return new Float64Array([-0, 0, 0, -0]);
}

/**
 * One OBV step as TA-Lib's TA_OBV: adds the volume when the close rose, subtracts it when it fell, leaves
 * the total when neither (equal, or a NaN close). Branch-free: the comparisons become a 0..2 index (V8
 * materializes `+(a > b)` with setcc) into `addends` = [-0, volume, -volume, -0], and `obv + addend` gives
 * exactly TA-Lib's result: x + v, then x + (-v), which IEEE defines as x - v, and x + (-0) = x for every x
 * (including -0 and NaN). The up/down branches it replaces are taken at random (about half the bars) and
 * mispredict.
 * @param addends scratch from `directionAddends`, overwritten
 * @returns the new total
 */
function obvStep(obv: number, close: number, previousClose: number, volume: number, addends: Float64Array): number {
  addends[1] = volume;
  addends[2] = -volume;
  return obv + addends[+(close > previousClose) | (+(close < previousClose) << 1)];
}

/** Batch OBV: starts at the first bar's volume, then `obvStep` per bar. */
function obvColumn(close: Float64Array, volume: Float64Array, length: number, out: Float64Array): void {
  if (length === 0) return;
  const addends = directionAddends();
  let obv = volume[0];
  let previous = close[0];
  out[0] = obv;
  for (let i = 1; i < length; i++) {
    const x = close[i];
    obv = obvStep(obv, x, previous, volume[i], addends);
    previous = x;
    out[i] = obv;
  }
}

/** Streaming OBV; same steps as `obvColumn`. */
class ObvStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly addends = directionAddends();
  private obv = 0;
  private previous = 0;
  count = 0;

  update(bar: StreamInput): Float64Array {
    const x = bar.close;
    this.obv = this.count++ === 0 ? bar.volume : obvStep(this.obv, x, this.previous, bar.volume, this.addends);
    this.previous = x;
    this.output[0] = this.obv;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.count === 0 ? bar.volume : obvStep(this.obv, bar.close, this.previous, bar.volume, this.addends);
    return this.previewed;
  }
}

/**
 * On-Balance Volume (Granville): a running total that adds the bar's volume when the close rose, subtracts
 * it when the close fell, starting from the first bar's volume. No parameters. Output `value` in volume
 * units, defined from row 0.
 * Warm-up is infinite: the level depends on where the series starts (a later start shifts every value by a
 * constant), so only values computed from the same first bar are comparable; changes of OBV over a range
 * do not depend on the start.
 */
export const obv: IndicatorDefinition = defineIndicator({
  id: "obv",
  name: "On-Balance Volume",
  description:
    "Cumulative volume signed by the close's direction. Its trend (not its level, which depends on the start of the series) confirms or contradicts the price trend.",
  source: "Granville 1963; matches TA-Lib TA_OBV (starts at the first bar's volume).",
  version: 1,
  group: IndicatorGroup.VOLUME,
  parameters: [],
  inputs: [PriceField.CLOSE, PriceField.VOLUME],
  outputs: [{ name: "value", description: "Signed cumulative volume since the first bar, in volume units.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "OBV",
    inputs: { inReal: PriceField.CLOSE, volume: PriceField.VOLUME },
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
    obvColumn(columns.close, columns.volume, columns.length, value);
  },
  createStream: () => new ObvStream(),
});
