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

/** TA-Lib's MA type code for the simple moving average (TA_MAType_SMA). */
const TALIB_SMA = 0;

/** Writes upper, middle and lower from the window's mean and mean of squares (stream and preview). */
function writeBands(output: Float64Array, mean: number, meanOfSquares: number, multiplier: number): void {
  const width = standardDeviationOf(meanOfSquares, mean) * multiplier;
  output[0] = mean + width;
  output[1] = mean;
  output[2] = mean - width;
}

/**
 * Batch Bollinger Bands in TA-Lib's order: the middle band is TA_SMA's running sum, the deviation uses a
 * running sum of squares (add newest square, take the mean, subtract the leaving square).
 */
function bbandsColumns(
  input: Float64Array,
  length: number,
  period: number,
  multiplier: number,
  upper: Float64Array,
  middle: Float64Array,
  lower: Float64Array,
): void {
  const lag = period - 1;
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < lag && i < length; i++) {
    const x = input[i];
    sum += x;
    sumOfSquares += x * x;
  }
  for (let i = lag; i < length; i++) {
    const x = input[i];
    const leaving = input[i - lag];
    const total = sum + x;
    sum = total - leaving;
    const mean = total / period;
    sumOfSquares += x * x;
    const meanOfSquares = sumOfSquares / period;
    sumOfSquares -= leaving * leaving;
    const width = standardDeviationOf(meanOfSquares, mean) * multiplier;
    middle[i] = mean;
    upper[i] = mean + width;
    lower[i] = mean - width;
  }
}

/** Streaming Bollinger Bands; same arithmetic as `bbandsColumns`. */
class BbandsStream implements IndicatorStream {
  private readonly output = new Float64Array(3);
  private readonly previewed = new Float64Array(3);
  private readonly moments: WindowMoments;
  count = 0;

  constructor(
    period: number,
    private readonly multiplier: number,
  ) {
    this.moments = new WindowMoments(period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const { moments } = this;
    if (moments.push(bar.close)) writeBands(this.output, moments.mean, moments.meanOfSquares, this.multiplier);
    else this.output.fill(NaN);
    return this.output;
  }

  /** The bands from the sums including the new close, as `update` forms them before dropping the leaving one. */
  preview(bar: StreamInput): Float64Array {
    const { moments } = this;
    if (moments.peek(bar.close)) writeBands(this.previewed, moments.peekedMean, moments.peekedMeanOfSquares, this.multiplier);
    else this.previewed.fill(NaN);
    return this.previewed;
  }
}

/** Bollinger Bands' settings: window in bars and band distance in standard deviations. */
interface BbandsSettings {
  readonly period: number;
  readonly multiplier: number;
}

/** Reads the settings once. */
function settingsOf(parameters: IndicatorParameters): BbandsSettings {
  return {
    period: integerParameter(parameters, "period"),
    multiplier: realParameter(parameters, "standardDeviations"),
  };
}

/**
 * Bollinger Bands of the close: middle = SMA(period), upper/lower = middle ± standardDeviations ×
 * population standard deviation over the same window.
 * Parameters: `period` (bars, default 20, [2, 100000]), `standardDeviations` (default 2, [0.01, 100],
 * the same for both bands). Outputs `upper`, `middle`, `lower` in the price's unit, defined from row
 * period - 1. Arithmetic of TA-Lib TA_BBANDS with MA type SMA (sqrt(E[x²] - mean²) from running sums).
 * Numerics: that formula cancels badly when the window's variance is tiny next to price², and the running
 * sum of squares drifts with the length of history, so bands computed from different start rows can differ
 * by up to ~1e-7 of the price (measured 4.8e-8 on EURUSD-1h with period 2; ~1e-11 with period 20). Kept
 * for bit-exact parity with TA-Lib; the warm-up (= lookback) holds at tolerances >= 1e-7.
 */
export const bbands: IndicatorDefinition = defineIndicator({
  id: "bbands",
  name: "Bollinger Bands",
  description:
    "Volatility envelope: an SMA of the close with bands a multiple of the window's standard deviation above and below. Wide bands mean high volatility; closes outside the bands are unusual moves.",
  source: "Bollinger 1980s; matches TA-Lib TA_BBANDS (MA type SMA, population standard deviation).",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [
    periodParameter("period", "Number of bars of the average and the deviation.", 20),
    multipleParameter("standardDeviations", "Band distance from the middle, in standard deviations (both bands).", 2),
  ],
  inputs: [PriceField.CLOSE],
  outputs: [
    { name: "upper", description: "Middle band plus the deviation multiple, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "middle", description: "SMA of the close, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "lower", description: "Middle band minus the deviation multiple, in the price's unit.", scale: ToleranceScale.VALUE },
  ],
  // The running sum of squares drifts with the length of history: on windows of near-zero variance (period
  // 2, two equal closes) bands from different start rows differ by up to 4.8e-8 of the price (EURUSD-1h),
  // and TA-Lib itself does the same when started later. No warm-up removes drift (see the note above).
  roundingFloor: 1e-7,
  reference: {
    kind: ReferenceKind.TALIB,
    function: "BBANDS",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period", optInNbDevUp: "standardDeviations", optInNbDevDn: "standardDeviations" },
    fixedOptions: { optInMAType: TALIB_SMA },
    outputs: ["outRealUpperBand", "outRealMiddleBand", "outRealLowerBand"],
    regtest: {
      function: "BBANDS",
      parameters: { timePeriod: "period", nbDevUp: "standardDeviations", nbDevDn: "standardDeviations" },
      movingAverage: "SMA",
      outputs: ["upper", "middle", "lower"],
    },
  },
  testCases: [{}, { period: 10, standardDeviations: 1 }, { period: 50, standardDeviations: 2.5 }, { period: 2, standardDeviations: 0.5 }],
  read: settingsOf,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period, multiplier }, columns, [upper, middle, lower]) {
    bbandsColumns(columns.close, columns.length, period, multiplier, upper, middle, lower);
  },
  createStream: ({ period, multiplier }) => new BbandsStream(period, multiplier),
});
