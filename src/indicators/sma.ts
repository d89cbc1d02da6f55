import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { SmaState, smaColumn } from "./simple-average";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** Streaming SMA over an `SmaState`. */
class SmaStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
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

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.state.peek(bar.close);
    return this.previewed;
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
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars averaged.", 20)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The average close over the window, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "SMA",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
    regtest: { function: "SMA", parameters: { timePeriod: "period" }, outputs: ["real"] },
  },
  testCases: [{}, { period: 2 }, { period: 50 }, { period: 200 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, columns, [value]) {
    smaColumn(columns.close, columns.length, 0, period, value);
  },
  createStream: ({ period }) => new SmaStream(period),
});
