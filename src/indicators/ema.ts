import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { EmaState, emaColumn } from "./exponential-average";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { emaFactor } from "./smoothing";
import { decayWarmup } from "./warmup";

class EmaStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly state: EmaState;
  count = 0;

  constructor(period: number) {
    this.state = new EmaState(period, emaFactor(period));
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.state.next(bar.close);
    return this.output;
  }
}

/**
 * Exponential Moving Average of the close with k = 2 / (period + 1), seeded with the SMA of the first
 * `period` closes (TA-Lib's default). Parameters: `period` (bars, default 20, [2, 100000]).
 * Output `value` in the price's unit, defined from row period - 1.
 * Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln(1 - k)) (see `decayWarmup`).
 */
export const ema: IndicatorDefinition = defineIndicator({
  id: "ema",
  name: "Exponential Moving Average",
  description:
    "Average of the closes with weights decaying by (1 - k) per bar, k = 2 / (period + 1). Reacts faster than an SMA of the same period.",
  source: "Classic EMA seeded with an SMA; matches TA-Lib TA_EMA (default compatibility).",
  version: 1,
  parameters: [periodParameter("period", "Number of bars; sets k = 2 / (period + 1) and the seed length.", 20)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The exponential average of the close, in the price's unit." }],
  lookback: (parameters) => integerParameter(parameters, "period") - 1,
  warmup(parameters, tolerance) {
    const period = integerParameter(parameters, "period");
    return decayWarmup(period - 1, 1 - emaFactor(period), tolerance);
  },
  writeBatch(parameters, columns, [value]) {
    const period = integerParameter(parameters, "period");
    emaColumn(columns.close, columns.length, 0, period, emaFactor(period), value);
  },
  createStream: (parameters) => new EmaStream(integerParameter(parameters, "period")),
});
