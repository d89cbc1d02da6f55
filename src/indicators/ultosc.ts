import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { trueRange } from "./true-range";
import { ValueStream } from "./value-stream";
import { finiteWarmup } from "./warmup";

/** TA-Lib's TA_IS_ZERO threshold. */
const EPSILON = 1e-14;

/** The three periods, shortest first (weights 4, 2 and 1), in bars. */
type SortedPeriods = readonly [number, number, number];

/** Reads the three periods and sorts them, as TA-Lib does: the shortest gets weight 4 whatever the order given. */
function periodsOf(parameters: IndicatorParameters): SortedPeriods {
  const periods = [integerParameter(parameters, "period1"), integerParameter(parameters, "period2"), integerParameter(parameters, "period3")];
  periods.sort((a, b) => a - b);
  return [periods[0], periods[1], periods[2]];
}

/** TA-Lib's ULTOSC lookback: the longest period (its SMA's lookback plus one bar for the true range). */
function lookbackOf(periods: SortedPeriods): number {
  return periods[2];
}

/** `weight × (buying pressure / true range)`, or 0 when the true-range total is (near) zero, as TA-Lib. */
function weightedRatio(weight: number, pressure: number, range: number): number {
  return -EPSILON < range && range < EPSILON ? 0 : weight * (pressure / range);
}

/**
 * The Ultimate Oscillator's three windows in TA-Lib's TA_ULTOSC order. Per bar two terms: buying pressure
 * close - min(low, previous close) and the true range. Each window's totals are primed with the terms of its
 * first period - 1 bars before the first output; at each output bar the bar's terms are added to all three,
 * the value is 100 × ((4·a1/b1 + 2·a2/b2 + a3/b3) / 7), then the terms of each window's oldest bar are
 * subtracted. The last `longest` terms are kept in a ring (TA-Lib recomputes them from the input instead; the
 * values are the same).
 */
class UltimateOscillator {
  private readonly pressures: Float64Array;
  private readonly ranges: Float64Array;
  private readonly pressureTotals = new Float64Array(3);
  private readonly rangeTotals = new Float64Array(3);
  private previousClose = NaN;
  /** Bars fed so far. */
  count = 0;

  constructor(private readonly periods: SortedPeriods) {
    this.pressures = new Float64Array(periods[2]);
    this.ranges = new Float64Array(periods[2]);
  }

  /** Feeds the next bar; returns the oscillator, NaN before row `longest`. */
  next(high: number, low: number, close: number): number {
    const row = this.count++;
    const previousClose = this.previousClose;
    this.previousClose = close;
    if (row === 0) return NaN;
    const { periods, pressures, ranges, pressureTotals, rangeTotals } = this;
    const size = periods[2];
    const pressure = close - (low < previousClose ? low : previousClose);
    const range = trueRange(high, low, previousClose);
    pressures[row % size] = pressure;
    ranges[row % size] = range;
    if (row < size) {
      // Priming: window k sums the bars from row size - period_k + 1 on.
      for (let k = 0; k < 3; k++) {
        if (row > size - periods[k]) {
          pressureTotals[k] += pressure;
          rangeTotals[k] += range;
        }
      }
      return NaN;
    }
    for (let k = 0; k < 3; k++) {
      pressureTotals[k] += pressure;
      rangeTotals[k] += range;
    }
    const value = this.valueOf(pressureTotals[0], rangeTotals[0], pressureTotals[1], rangeTotals[1], pressureTotals[2], rangeTotals[2]);
    for (let k = 0; k < 3; k++) {
      const trailing = (row - periods[k] + 1) % size;
      pressureTotals[k] -= pressures[trailing];
      rangeTotals[k] -= ranges[trailing];
    }
    return value;
  }

  /** What `next` would return now, without changing the state. */
  peek(high: number, low: number, close: number): number {
    if (this.count < this.periods[2]) return NaN;
    const previousClose = this.previousClose;
    const pressure = close - (low < previousClose ? low : previousClose);
    const range = trueRange(high, low, previousClose);
    const { pressureTotals: a, rangeTotals: b } = this;
    return this.valueOf(a[0] + pressure, b[0] + range, a[1] + pressure, b[1] + range, a[2] + pressure, b[2] + range);
  }

  private valueOf(a1: number, b1: number, a2: number, b2: number, a3: number, b3: number): number {
    let output = 0;
    output += weightedRatio(4, a1, b1);
    output += weightedRatio(2, a2, b2);
    output += weightedRatio(1, a3, b3);
    return 100 * (output / 7);
  }
}

/**
 * Ultimate Oscillator (Williams): buying pressure BP = close - min(low, previous close), true range TR; over three
 * windows the ratios ΣBP/ΣTR, weighted 4 (shortest), 2 and 1 (longest): 100 × (4·r1 + 2·r2 + r3) / 7. A window whose
 * true-range total is 0 contributes 0 (as TA-Lib). The periods are sorted first, as TA-Lib does.
 * Parameters: `period1` (7), `period2` (14), `period3` (28), bars, each [1, 100000]. Output `value` in [0, 100],
 * defined from row max(period1, period2, period3). Running sums (TA-Lib's), so the last bits depend on where they
 * started, as for SMA.
 */
export const ultosc: IndicatorDefinition = defineIndicator({
  id: "ultosc",
  name: "Ultimate Oscillator",
  description:
    "Momentum oscillator from 0 to 100 blending buying pressure over a short, a medium and a long window (weights 4, 2, 1). Above 70 reads overbought, below 30 oversold.",
  source: "Larry Williams 1985; matches TA-Lib TA_ULTOSC.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [
    periodParameter("period1", "Bars of the short window (weight 4 once the periods are sorted).", 7, 1),
    periodParameter("period2", "Bars of the medium window (weight 2).", 14, 1),
    periodParameter("period3", "Bars of the long window (weight 1).", 28, 1),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [{ name: "value", description: "Ultimate Oscillator, from 0 to 100.", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "ULTOSC",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInTimePeriod1: "period1", optInTimePeriod2: "period2", optInTimePeriod3: "period3" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period1: 28, period2: 7, period3: 14 }, { period1: 1, period2: 2, period3: 3 }, { period1: 5, period2: 5, period3: 60 }],
  read: periodsOf,
  lookback: lookbackOf,
  warmup: (periods, tolerance) => finiteWarmup(lookbackOf(periods), tolerance),
  writeBatch(periods, { high, low, close, length }, [value]) {
    const oscillator = new UltimateOscillator(periods);
    for (let i = 0; i < length; i++) value[i] = oscillator.next(high[i], low[i], close[i]);
  },
  createStream: (periods) =>
    new ValueStream(
      new UltimateOscillator(periods),
      (oscillator, bar) => oscillator.next(bar.high, bar.low, bar.close),
      (oscillator, bar) => oscillator.peek(bar.high, bar.low, bar.close),
    ),
});
