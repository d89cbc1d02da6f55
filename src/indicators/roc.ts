import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { RingBuffer } from "./ring-buffer";
import { finiteWarmup } from "./warmup";

/** Percent change from `previous` to `x` as TA-Lib: ((x / previous) - 1) * 100, 0 when previous is 0. */
function percentChange(x: number, previous: number): number {
  return previous !== 0 ? (x / previous - 1) * 100 : 0;
}

/** Batch ROC: row i compares close[i] with close[i - period]. */
function rocColumn(input: Float64Array, length: number, period: number, out: Float64Array): void {
  for (let i = period; i < length; i++) out[i] = percentChange(input[i], input[i - period]);
}

/** Streaming ROC; keeps the last period + 1 closes. */
class RocStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly window: RingBuffer;
  count = 0;

  constructor(private readonly period: number) {
    this.window = new RingBuffer(period + 1);
  }

  update(bar: StreamInput): Float64Array {
    const x = bar.close;
    // With room for period + 1 closes, the oldest kept is the close `period` bars ago.
    const earlier = this.window.pushAndOldest(x);
    this.output[0] = this.count++ < this.period ? NaN : percentChange(x, earlier);
    return this.output;
  }
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
  parameters: [periodParameter("period", "Number of bars between the compared closes.", 10, 1)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "Change of the close over the period, in percent." }],
  lookback: (parameters) => integerParameter(parameters, "period"),
  warmup: (parameters, tolerance) => finiteWarmup(integerParameter(parameters, "period"), tolerance),
  writeBatch(parameters, columns, [value]) {
    rocColumn(columns.close, columns.length, integerParameter(parameters, "period"), value);
  },
  createStream: (parameters) => new RocStream(integerParameter(parameters, "period")),
});
