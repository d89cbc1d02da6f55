import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { PeriodChangeStream } from "./period-change-stream";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** The change from `earlier` to `x`. */
function difference(x: number, earlier: number): number {
  return x - earlier;
}

/** Batch momentum: row i is close[i] - close[i - period]. */
function momColumn(input: Float64Array, length: number, period: number, out: Float64Array): void {
  for (let i = period; i < length; i++) out[i] = input[i] - input[i - period];
}

/**
 * Momentum: the change of the close over `period` bars, close[i] - close[i - period] (rows used [i - period .. i],
 * written at row i). Parameters: `period` (bars, default 10, [1, 100000]). Output `value` in the price's unit,
 * defined from row `period`.
 */
export const mom: IndicatorDefinition = defineIndicator({
  id: "mom",
  name: "Momentum",
  description: "Momentum: how far the close moved over `period` bars, in price units. Positive means higher than then.",
  source: "Difference of closes; matches TA-Lib TA_MOM.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars between the compared closes.", 10, 1)],
  inputs: [PriceField.CLOSE],
  // A difference of prices that crosses zero: judged on the price's scale.
  outputs: [{ name: "value", description: "Change of the close over the period, in the price's unit.", scale: ToleranceScale.PRICE }],
  reference: { kind: ReferenceKind.TALIB, function: "MOM", inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
  testCases: [{}, { period: 1 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
  writeBatch({ period }, columns, [value]) {
    momColumn(columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new PeriodChangeStream(period, difference),
});
