import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { windowStatisticIndicator } from "./window-statistic";
import { MAX_STATISTIC_PERIOD } from "./zscore";

/** Closes of the worked examples, oldest first (ties at rows 5-8). */
const WORKED_CLOSES = [10, 12, 11, 13, 15, 14, 14, 14, 14, 9];

/**
 * Percent rank: the share of the previous `period` closes that are less than or equal to the current close, in percent
 * (rows used [i − period .. i], written at row i; the current close is compared, not counted). 100 at a new high of
 * the window, 0 below all of it. Parameters: `period` (bars, default 20, [2, 5000]). Defined from row `period`. Of any
 * input through a composed feature (e.g. the percent rank of an ATR).
 */
export const percentRank = windowStatisticIndicator({
  id: "percentrank",
  name: "Percent Rank",
  description: "Transform: the percentage of the previous `period` closes at or below the current close (0..100).",
  source: "TradingView Pine Script ta.percentrank(source, length): percent of previous values less than or equal to the current one.",
  group: IndicatorGroup.TRANSFORM,
  parameters: [{ ...periodParameter("period", "Number of previous bars the close is ranked among.", 20), maximum: MAX_STATISTIC_PERIOD }],
  output: { name: "value", description: "Percent rank of the close among the previous `period` closes, 0..100.", scale: ToleranceScale.OSCILLATOR_100 },
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "TradingView Pine Script v5 reference, ta.percentrank: 'Percent rank is the percents of how many previous values was less than or equal " +
      "to the current value of given series.' Expected values counted by hand (checked with a Python list comprehension).",
    cases: [
      {
        parameters: { period: 3 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, null, null, 100, 100, 66.66666666666667, 66.66666666666667, 66.66666666666667, 100, 0] },
      },
      {
        parameters: { period: 5 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, null, null, null, null, 80, 80, 80, 80, 0] },
      },
    ],
  },
  testCases: [{}, { period: 2 }, { period: 250 }],
  read: readPeriod,
  windowLength: ({ period }) => period + 1,
  prepare: () => (values, start, end) => {
    const current = values[end - 1];
    let atOrBelow = 0;
    for (let j = start; j < end - 1; j++) if (values[j] <= current) atOrBelow++;
    return (100 * atOrBelow) / (end - 1 - start);
  },
});
