import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";
import { WindowMoments } from "./window-moments";

/** Streaming variance; the batch form runs the same `WindowMoments`. */
class VarianceStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly moments: WindowMoments;
  count = 0;

  constructor(period: number) {
    this.moments = new WindowMoments(period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const { moments } = this;
    this.output[0] = moments.push(bar.close) ? moments.meanOfSquares - moments.mean * moments.mean : NaN;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { moments } = this;
    this.previewed[0] = moments.peek(bar.close) ? moments.peekedMeanOfSquares - moments.peekedMean * moments.peekedMean : NaN;
    return this.previewed;
  }
}

/**
 * Variance of the close over the last `period` bars (population: divided by `period`): TA-Lib's E[x²] - mean² from
 * running sums, in price² (rows used [i - period + 1 .. i], written at row i). Parameters: `period` (bars, default 5,
 * [2, 100000]). Output `value`, defined from row period - 1; a flat window gives a tiny value of either sign
 * (rounding), as in TA-Lib. Judged on price², where the running sums' drift (~1e-14 of price²) is far below 1e-9.
 */
export const variance: IndicatorDefinition = defineIndicator({
  id: "var",
  name: "Variance",
  description: "Statistics: the mean squared distance of the window's closes from their mean, in price² (the square of the standard deviation).",
  source: "Population variance; matches TA-Lib TA_VAR.",
  version: 1,
  group: IndicatorGroup.STATISTICS,
  parameters: [periodParameter("period", "Number of bars in the window.", 5)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "Variance of the closes, in price².", scale: ToleranceScale.PRICE_SQUARED }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "VAR",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    // TA-Lib takes a deviation multiple and ignores it.
    fixedOptions: { optInNbDev: 1 },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 20 }, { period: 100 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, { close, length }, [value]) {
    const moments = new WindowMoments(period);
    for (let i = 0; i < length; i++) {
      if (moments.push(close[i])) value[i] = moments.meanOfSquares - moments.mean * moments.mean;
    }
  },
  createStream: ({ period }) => new VarianceStream(period),
});
