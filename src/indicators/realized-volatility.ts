import { barsPerYear } from "../domain/bars-per-year";
import { Timeframe } from "../domain/timeframe";
import { ALWAYS_OPEN } from "../domain/trading-calendar";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { windowStatisticIndicator } from "./window-statistic";
import { MAX_STATISTIC_PERIOD } from "./zscore";

/** The number of log returns and whether the deviation is annualized. */
interface RealizedVolatilitySettings {
  readonly period: number;
  readonly annualize: boolean;
}

/** Closes of the worked examples, oldest first (a flat stretch at rows 5-8 gives zero returns). */
const WORKED_CLOSES = [10, 12, 11, 13, 15, 14, 14, 14, 14, 9];

/**
 * Realized volatility: the sample standard deviation (divided by period − 1) of the last `period` one-bar log returns
 * ln(close_j / close_{j−1}), optionally times sqrt(bars per year) of the series' calendar and timeframe (`barsPerYear`).
 * Rows used [i − period .. i] (period + 1 closes), written at row i. Parameters: `period` (returns, default 20,
 * [2, 5000]), `annualize` (0: per bar, default; 1: per year, which needs the SeriesContext). Output as a fraction
 * (0.2 is 20 %). Prices are positive (bar validation); a composed input with a value ≤ 0 in the window gives NaN.
 * @throws Error naming the SeriesContext when `annualize` is 1 and no context is given
 */
export const realizedVolatility = windowStatisticIndicator<RealizedVolatilitySettings>({
  id: "realizedvol",
  name: "Realized Volatility",
  description:
    "Transform: the standard deviation of the last `period` one-bar log returns, per bar or (annualize = 1) per year with the market's bars per year.",
  source: "Historical volatility estimate of Hull, Options, Futures and Other Derivatives (10th ed.), section 15.4: sample σ of log returns, × √(periods per year).",
  group: IndicatorGroup.VOLATILITY,
  parameters: [
    { ...periodParameter("period", "Number of one-bar log returns in the window.", 20), maximum: MAX_STATISTIC_PERIOD },
    { name: "annualize", description: "0: volatility per bar; 1: per year (× √ bars per year of the series' calendar).", defaultValue: 0, minimum: 0, maximum: 1, integer: true },
  ],
  output: { name: "value", description: "Volatility of log returns as a fraction (0.2 is 20 %), per bar or per year.", scale: ToleranceScale.VALUE },
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "Hull, Options, Futures and Other Derivatives (10th ed.), section 15.4: u_i = ln(S_i / S_{i−1}), s = sqrt(Σ(u_i − ū)² / (n − 1)), " +
      "annual σ = s × sqrt(periods per year). Expected values from Python's math.log and statistics.stdev; the annualized case uses " +
      "365.25 daily bars a year (an always-open market).",
    cases: [
      {
        parameters: { period: 3 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [null, null, null, 0.15128482173843782, 0.14028224563580102, 0.12992027507915205, 0.10818318705119681, 0.03983305292515667, 0, 0.2550922584650965],
        },
      },
      {
        parameters: { period: 5 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, null, null, null, null, 0.13352373530889755, 0.11828295341756354, 0.1018738281401378, 0.0776844087628593, 0.1922157861124465] },
      },
      {
        parameters: { period: 3, annualize: 1 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        context: { timeframe: Timeframe.D1, calendar: ALWAYS_OPEN },
        expected: { value: [null, null, null, 2.8912821177808623, 2.6810062211672743, 2.482973266961142, 2.0675445862405084, 0.7612699826440195, 0, 4.875199486698243] },
      },
    ],
  },
  testCases: [{}, { period: 2 }, { period: 100, annualize: 1 }],
  read: (parameters) => ({ period: integerParameter(parameters, "period"), annualize: integerParameter(parameters, "annualize") === 1 }),
  // Each one-bar log return is computed once, when its bar arrives; the window holds the last `period` of them.
  perBar: (close, previous) => Math.log(close / previous),
  windowLength: ({ period }) => period,
  prepare({ period, annualize }, context) {
    if (annualize && context === undefined) throw new Error("realizedvol with annualize = 1 needs the SeriesContext (timeframe and calendar) for bars per year.");
    const factor = annualize && context !== undefined ? Math.sqrt(barsPerYear(context.calendar, context.timeframe)) : 1;
    return (returns, start, end) => {
      let sum = 0;
      for (let j = start; j < end; j++) sum += returns[j];
      const mean = sum / period;
      let squares = 0;
      for (let j = start; j < end; j++) {
        const deviation = returns[j] - mean;
        squares += deviation * deviation;
      }
      return Math.sqrt(squares / (period - 1)) * factor;
    };
  },
});
