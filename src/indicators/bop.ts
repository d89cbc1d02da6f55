import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** TA-Lib's TA_EPSILON: a range below it counts as none. */
const EPSILON = 1e-14;

/** Balance of power of one bar as TA-Lib: (close - open) / (high - low), 0 when the range is below EPSILON. */
function balanceOfPower(open: number, high: number, low: number, close: number): number {
  const range = high - low;
  return range < EPSILON ? 0 : (close - open) / range;
}

/** Streaming balance of power: each bar on its own. */
class BopStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  count = 0;

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = balanceOfPower(bar.open, bar.high, bar.low, bar.close);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = balanceOfPower(bar.open, bar.high, bar.low, bar.close);
    return this.previewed;
  }
}

/**
 * Balance of Power: how much of the bar's range the move from open to close covers, (close - open) / (high - low),
 * from -1 to 1; 0 for a bar without range (as TA-Lib). No parameters; output `value` defined from row 0 (rows used
 * [i .. i]).
 */
export const bop: IndicatorDefinition = defineIndicator({
  id: "bop",
  name: "Balance of Power",
  description: "Momentum: the share of the bar's range won by buyers (towards 1) or sellers (towards -1).",
  source: "Igor Livshin 2001; matches TA-Lib TA_BOP.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [],
  inputs: [PriceField.OPEN, PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  // Each value depends on its own bar only: identical from any start row, so the scale never matters.
  outputs: [{ name: "value", description: "Balance of power, from -1 to 1.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "BOP",
    inputs: { open: PriceField.OPEN, high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: {},
    outputs: ["outReal"],
  },
  testCases: [{}],
  read: () => ({}),
  lookback: () => 0,
  warmup: (_settings, tolerance) => finiteWarmup(0, tolerance),
  writeBatch(_settings, columns, [value]) {
    const { open, high, low, close } = columns;
    for (let i = 0; i < columns.length; i++) value[i] = balanceOfPower(open[i], high[i], low[i], close[i]);
  },
  createStream: () => new BopStream(),
});
