import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { SmaState, smaColumn } from "./simple-average";
import { finiteWarmup } from "./warmup";

class SmaStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly state: SmaState;
  count = 0;

  constructor(period: number) {
    this.state = new SmaState(period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.state.next(bar.close);
    return this.output;
  }
}

/**
 * Simple Moving Average of the close: the arithmetic mean of the last `period` closes.
 * Parameters: `period` (bars, default 20, [2, 100000]). Output `value` in the price's unit, defined from
 * row period - 1. Running-sum algorithm of TA-Lib TA_SMA (same rounding).
 */
export const sma: IndicatorDefinition = defineIndicator({
  id: "sma",
  name: "Simple Moving Average",
  description:
    "Mean of the last `period` closes. Smooths noise with a lag of (period - 1) / 2 bars; price above a rising SMA reads as an uptrend.",
  source: "Arithmetic mean; matches TA-Lib TA_SMA (running sum).",
  version: 1,
  parameters: [periodParameter("period", "Number of bars averaged.", 20)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The average close over the window, in the price's unit." }],
  lookback: (parameters) => integerParameter(parameters, "period") - 1,
  warmup: (parameters, tolerance) => finiteWarmup(integerParameter(parameters, "period") - 1, tolerance),
  writeBatch(parameters, columns, [value]) {
    smaColumn(columns.close, columns.length, 0, integerParameter(parameters, "period"), value);
  },
  createStream: (parameters) => new SmaStream(integerParameter(parameters, "period")),
});
