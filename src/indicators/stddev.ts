import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter, realParameter } from "./parameters";
import { multipleParameter, periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";
import { standardDeviationOf, WindowMoments } from "./window-moments";

/** The window in bars and the multiple of the deviation returned. */
interface StddevSettings {
  readonly period: number;
  readonly multiplier: number;
}

function settingsOf(parameters: IndicatorParameters): StddevSettings {
  return { period: integerParameter(parameters, "period"), multiplier: realParameter(parameters, "standardDeviations") };
}

/** Streaming standard deviation; the batch form runs the same `WindowMoments`. */
class StddevStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly moments: WindowMoments;
  count = 0;

  constructor(private readonly settings: StddevSettings) {
    this.moments = new WindowMoments(settings.period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const { moments } = this;
    this.output[0] = moments.push(bar.close) ? standardDeviationOf(moments.meanOfSquares, moments.mean) * this.settings.multiplier : NaN;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { moments } = this;
    this.previewed[0] = moments.peek(bar.close) ? standardDeviationOf(moments.peekedMeanOfSquares, moments.peekedMean) * this.settings.multiplier : NaN;
    return this.previewed;
  }
}

/**
 * Standard deviation of the close over the last `period` bars (population: divided by `period`), times
 * `standardDeviations`; TA-Lib's sqrt(E[x²] - mean²) from running sums, 0 when the variance is below 1e-14 (rows used
 * [i - period + 1 .. i], written at row i). Parameters: `period` (bars, default 5, [2, 100000]), `standardDeviations`
 * (default 1, [0.01, 100]). Output `value` in the price's unit, defined from row period - 1.
 * Numerics as Bollinger Bands' width: the formula cancels when the variance is tiny next to price², and the running
 * sums drift with the length of history, so values from different start rows differ by up to ~2e-7 of the price
 * (measured 1.8e-7 on BTCUSDT-1m with period 5: a flat window's variance is a difference of two numbers near price²).
 */
export const stddev: IndicatorDefinition = defineIndicator({
  id: "stddev",
  name: "Standard Deviation",
  description: "Statistics: how widely the closes of the window spread around their mean, in price units (the width of a Bollinger band).",
  source: "Population standard deviation; matches TA-Lib TA_STDDEV.",
  version: 1,
  group: IndicatorGroup.STATISTICS,
  parameters: [
    periodParameter("period", "Number of bars in the window.", 5),
    multipleParameter("standardDeviations", "Multiple of the deviation returned.", 1),
  ],
  inputs: [PriceField.CLOSE],
  // Zero for a flat window, so judged on the price's scale; the running sums' drift sets the floor (as bbands, whose
  // test cases halve it with a multiplier of 0.5 at period 2).
  outputs: [{ name: "value", description: "Standard deviation of the closes times `standardDeviations`, in the price's unit.", scale: ToleranceScale.PRICE }],
  roundingFloor: 5e-7,
  reference: {
    kind: ReferenceKind.TALIB,
    function: "STDDEV",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period", optInNbDev: "standardDeviations" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 20, standardDeviations: 2 }, { period: 100, standardDeviations: 0.5 }],
  read: settingsOf,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch(settings, columns, [value]) {
    const moments = new WindowMoments(settings.period);
    for (let i = 0; i < columns.length; i++) {
      if (moments.push(columns.close[i])) value[i] = standardDeviationOf(moments.meanOfSquares, moments.mean) * settings.multiplier;
    }
  },
  createStream: (settings) => new StddevStream(settings),
});
