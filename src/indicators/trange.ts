import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { trueRange } from "./true-range";
import { finiteWarmup } from "./warmup";

/** Streaming true range; keeps the previous close. */
class TrangeStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private previousClose = NaN;
  count = 0;

  update(bar: StreamInput): Float64Array {
    this.output[0] = this.count++ === 0 ? NaN : trueRange(bar.high, bar.low, this.previousClose);
    this.previousClose = bar.close;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.count === 0 ? NaN : trueRange(bar.high, bar.low, this.previousClose);
    return this.previewed;
  }
}

/**
 * True Range: the largest of high - low, |previous close - high| and |previous close - low| (Wilder), the bar's full
 * move including a gap from the previous close. No parameters; output `value` in the price's unit, defined from row 1
 * (rows used [i - 1 .. i]).
 */
export const trange: IndicatorDefinition = defineIndicator({
  id: "trange",
  name: "True Range",
  description: "Volatility: the bar's full range including any gap from the previous close, in price units (ATR averages it).",
  source: "Wilder 1978; matches TA-Lib TA_TRANGE.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [{ name: "value", description: "True range, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "TRANGE",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: {},
    outputs: ["outReal"],
  },
  testCases: [{}],
  read: () => ({}),
  lookback: () => 1,
  warmup: (_settings, tolerance) => finiteWarmup(1, tolerance),
  writeBatch(_settings, columns, [value]) {
    const { high, low, close } = columns;
    for (let i = 1; i < columns.length; i++) value[i] = trueRange(high[i], low[i], close[i - 1]);
  },
  createStream: () => new TrangeStream(),
});
