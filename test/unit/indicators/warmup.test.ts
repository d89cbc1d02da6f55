/**
 * Warm-up semantics on real series, generated from the registry: values computed from `warmup` bars
 * before a row agree with full history within the tolerance (on each output's declared scale, never
 * tighter than the indicator's declared rounding floor); for recursive indicators the lookback alone is
 * not enough (so the check can fail); an infinite warm-up is needed where a later start never stops
 * mattering.
 */
import type { BarColumns } from "../../../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters } from "../../../src/indicators/indicator";
import type { SeriesContext } from "../../../src/indicators/series-context";
import { resolveParameters } from "../../../src/indicators/parameters";
import { INDICATORS } from "../../../src/indicators/registry";
import { TEST_SERIES, loadSeries, sliceSeries } from "../../support/market-data";
import { casesOf } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";
import { toleranceScaleAt } from "./tolerance";

/**
 * Worst ratio |suffix - full| / (max(tolerance, roundingFloor) * scale) over rows from `start + warmup` on,
 * where `suffix` is computed from bars [start ..] only. <= 1 means the warm-up was sufficient.
 */
function worstWarmupRatio(
  indicator: IndicatorDefinition,
  parameters: IndicatorParameters,
  columns: BarColumns,
  context: SeriesContext,
  full: Float64Array[],
  start: number,
  warmup: number,
  tolerance: number,
): number {
  const suffix = indicator.computeBatch(parameters, sliceSeries(columns, start), context);
  const checked = Math.max(tolerance, indicator.roundingFloor ?? 0);
  let worst = 0;
  for (let output = 0; output < full.length; output++) {
    for (let row = start + warmup; row < columns.length; row++) {
      const expected = full[output][row];
      const actual = suffix[output][row - start];
      // Both undefined (NaN) agrees: e.g. a range shock after a flat window, from either start.
      if (Object.is(actual, expected)) continue;
      const error = Math.abs(actual - expected);
      if (error === 0) continue;
      worst = Math.max(worst, error / (checked * toleranceScaleAt(indicator, output, columns, row, expected)));
    }
  }
  return worst;
}

/** Warm-up with default parameters at `tolerance`. */
function defaultWarmup(indicator: IndicatorDefinition, tolerance: number): number {
  return indicator.warmup(resolveParameters(indicator, {}), tolerance);
}

const finite = INDICATORS.filter((indicator) => Number.isFinite(defaultWarmup(indicator, 1e-9)));
const recursive = finite.filter((indicator) => defaultWarmup(indicator, 1e-9) > indicator.lookback(resolveParameters(indicator, {})));
const unbounded = INDICATORS.filter((indicator) => !Number.isFinite(defaultWarmup(indicator, 1e-9)));

describe("warm-up sufficiency: values computed from `warmup` bars before a row agree with full history", () => {
  describe.each(TEST_SERIES)("on %s", (fileName) => {
    const columns = loadSeries(fileName);
    const context = contextOf(fileName);
    const starts = [0.05, 0.3, 0.55, 0.8].map((fraction) => Math.floor(columns.length * fraction));

    it.each(casesOf(finite))("$label: within tolerance 1e-6 and 1e-9 on every row after the warm-up, from 4 starts", ({ indicator, given }) => {
      const parameters = resolveParameters(indicator, given);
      const full = indicator.computeBatch(parameters, columns, context);
      for (const tolerance of [1e-6, 1e-9]) {
        const warmup = indicator.warmup(parameters, tolerance, context);
        for (const start of starts) {
          expect(worstWarmupRatio(indicator, parameters, columns, context, full, start, warmup, tolerance)).toBeLessThanOrEqual(1);
        }
      }
    });
  });
});

describe("warm-up necessity", () => {
  const columns = loadSeries("BTCUSDT-1h.csv");
  const context = contextOf("BTCUSDT-1h.csv");
  const start = Math.floor(columns.length / 2);

  it.each(recursive.map((indicator) => [indicator.id, indicator] as const))(
    "%s: the lookback alone is not enough at 1e-9 (the sufficiency check can fail)",
    (_id, indicator) => {
      const parameters = resolveParameters(indicator, {});
      const full = indicator.computeBatch(parameters, columns, context);
      expect(worstWarmupRatio(indicator, parameters, columns, context, full, start, indicator.lookback(parameters), 1e-9)).toBeGreaterThan(1);
    },
  );

  it.each(unbounded.map((indicator) => [indicator.id, indicator] as const))(
    "%s: infinite warm-up, because a later start still changes the last row's value beyond 1e-9",
    (_id, indicator) => {
      const parameters = resolveParameters(indicator, {});
      expect(indicator.warmup(parameters, 1e-9)).toBe(Number.POSITIVE_INFINITY);
      const full = indicator.computeBatch(parameters, columns, context);
      const last = columns.length - 1;
      expect(worstWarmupRatio(indicator, parameters, columns, context, full, start, last - start, 1e-9)).toBeGreaterThan(1);
    },
  );
});
