import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { PeriodChangeStream, percentChange } from "./period-change-stream";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** Batch ROC: row i compares close[i] with close[i - period]. */
function rocColumn(input: Float64Array, length: number, period: number, out: Float64Array): void {
  for (let i = period; i < length; i++) out[i] = percentChange(input[i], input[i - period]);
}

/**
 * Rate of Change of the close in percent: ((close / close `period` bars ago) - 1) * 100.
 * Parameters: `period` (bars, default 10, [1, 100000]). Output `value` in percent, defined from row
 * `period`; 0 when the earlier close is 0 (as TA-Lib).
 */
export const roc: IndicatorDefinition = defineIndicator({
  id: "roc",
  name: "Rate of Change",
  description: "Momentum: the percentage change of the close over `period` bars. Positive means higher than then.",
  source: "Percent change; matches TA-Lib TA_ROC ((price / prevPrice) - 1) * 100.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars between the compared closes.", 10, 1)],
  inputs: [PriceField.CLOSE],
  // Percent, from two closes only: no rounding accumulates, so values agree exactly from any start row.
  outputs: [{ name: "value", description: "Change of the close over the period, in percent.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "ROC",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 1 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
  writeBatch({ period }, columns, [value]) {
    rocColumn(columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new PeriodChangeStream(period, percentChange),
});
