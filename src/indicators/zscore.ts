import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { windowStatisticIndicator } from "./window-statistic";

/** Longest window of the statistics computed afresh per bar (O(period) each): 1,000,000 bars × 5,000 in seconds. */
export const MAX_STATISTIC_PERIOD = 5_000;

/** A flat window's deviation is rounding noise below this fraction of the mean's magnitude: the z-score is then 0. */
const FLAT_WINDOW = 1e-12;

/** Closes of the worked examples, oldest first (the second case has a flat stretch). */
const WORKED_CLOSES = [10, 12, 11, 13, 15, 14, 14, 14, 14, 9];

/**
 * Population mean and standard deviation of `values[start .. end)` in two passes (mean first, then the squared
 * deviations from it, each summed oldest first): exact to rounding and independent of anything outside the window.
 * @returns [mean, standard deviation]
 */
export function windowMeanAndDeviation(values: Float64Array, start: number, end: number): [number, number] {
  const count = end - start;
  let sum = 0;
  for (let j = start; j < end; j++) sum += values[j];
  const mean = sum / count;
  let squares = 0;
  for (let j = start; j < end; j++) {
    const deviation = values[j] - mean;
    squares += deviation * deviation;
  }
  return [mean, Math.sqrt(squares / count)];
}

/**
 * Rolling z-score: (close − mean) / standard deviation of the last `period` closes, current one included (population
 * deviation, divided by `period`; rows used [i − period + 1 .. i], written at row i). 0 when the window is flat (its
 * deviation at most 1e-12 of the mean's magnitude). Parameters: `period` (bars, default 20, [2, 5000]). Output in
 * standard deviations, defined from row period − 1. Of any input through a composed feature (e.g. the z-score of RSI).
 */
export const zscore = windowStatisticIndicator({
  id: "zscore",
  name: "Rolling Z-Score",
  description: "Transform: how many standard deviations the close lies above (+) or below (−) the mean of the last `period` closes.",
  source: "Standard score (x − mean) / σ over a rolling window, population σ.",
  group: IndicatorGroup.TRANSFORM,
  parameters: [{ ...periodParameter("period", "Number of bars in the window, the current one included.", 20), maximum: MAX_STATISTIC_PERIOD }],
  output: { name: "value", description: "Z-score of the close in its window, in standard deviations.", scale: ToleranceScale.VALUE },
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "Standard score z = (x − μ) / σ with μ and σ the mean and population standard deviation of the window (Freedman, Pisani and Purves, " +
      "Statistics, 4th ed., ch. 5 'standard units'). Expected values from Python's statistics.fmean and statistics.pstdev over each window.",
    cases: [
      {
        parameters: { period: 3 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [null, null, 0, 1.224744871391589, 1.224744871391589, 0, -0.7071067811865488, 0, 0, -1.4142135623730951],
        },
      },
      {
        parameters: { period: 5 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, null, null, null, 1.6274669424134705, 0.7071067811865475, 0.44232586846469113, 0, -0.4999999999999982, -2] },
      },
    ],
  },
  testCases: [{}, { period: 2 }, { period: 100 }],
  read: readPeriod,
  windowLength: ({ period }) => period,
  prepare: () => (values, start, end) => {
    const [mean, deviation] = windowMeanAndDeviation(values, start, end);
    return deviation <= FLAT_WINDOW * Math.abs(mean) ? 0 : (values[end - 1] - mean) / deviation;
  },
});
