import { DomainError } from "../domain/errors";
import type { OpenTimeRange } from "../domain/open-time-range";
import type { Timeframe } from "../domain/timeframe";
import { resolveParameters } from "../indicators/parameters";
import { getIndicator } from "../indicators/registry";
import { WARMUP_TOLERANCE, type IndicatorSpec } from "./indicator-query.service";
import { expandWindows } from "./indicator-windows";
import { DEFAULT_BARS_PAGE_SIZE, MAX_BARS_PAGE_SIZE, MAX_INDICATOR_WARMUP_BARS, rangeSlots } from "./query-limits";

/**
 * The cost model of a request, estimated before anything runs: how many bars, and values computed or sent
 * over them, each field would touch. Units are "bar-values": one bar read with one value per feature counts
 * 1 + features. Ranges count the grid slots between `from` and `to` (the most bars they can hold), not the
 * bars actually stored, so the estimate needs no database. Invalid arguments cost what their valid part
 * costs: execution refuses them with a precise message.
 */

/**
 * `indicators`: the range's slots × (1 + specs, each window counted), plus the warm-up bars loaded before `from` (the largest
 * warm-up of the specs, `warmup(parameters, 1e-9)`, counted up to MAX_INDICATOR_WARMUP_BARS: what can ever be
 * loaded; OBV's whole-history warm-up counts as that maximum, a longer finite one is refused at execution).
 */
export function indicatorsCost(range: OpenTimeRange, timeframe: Timeframe, specs: readonly IndicatorSpec[]): number {
  const computations = specs.flatMap(withWindows);
  const warmup = Math.max(0, ...computations.map(warmupBarsOf));
  return rangeSlots(range, timeframe) * (1 + computations.length) + Math.min(warmup, MAX_INDICATOR_WARMUP_BARS);
}

/** A spec's computations, one per window; the spec alone when its windows are refused (execution says why). */
function withWindows(spec: IndicatorSpec): IndicatorSpec[] {
  if (spec.windows === undefined) return [spec];
  try {
    return expandWindows(spec, spec.windows);
  } catch (error) {
    if (error instanceof DomainError) return [spec];
    throw error;
  }
}

/** `features` and `series`: the range's slots × (1 + features). */
export function featureFrameCost(range: OpenTimeRange, timeframe: Timeframe, featureCount: number): number {
  return rangeSlots(range, timeframe) * (1 + featureCount);
}

/** `bars`: the page size asked for (`first`, default DEFAULT_BARS_PAGE_SIZE, at most MAX_BARS_PAGE_SIZE). */
export function barPageCost(first: number | null | undefined): number {
  return Math.min(Math.max(first ?? DEFAULT_BARS_PAGE_SIZE, 0), MAX_BARS_PAGE_SIZE);
}

/** `latestFeatures`: one bar per symbol, with one value per feature: symbols × (1 + features). */
export function latestFeaturesCost(symbolCount: number, featureCount: number): number {
  return symbolCount * (1 + featureCount);
}

/** `ingestBars`: one bar written per bar sent. */
export function ingestCost(barCount: number): number {
  return barCount;
}

/** Bars a spec needs before `from`; 0 for a spec execution will refuse (unknown indicator, bad parameters). */
function warmupBarsOf(spec: IndicatorSpec): number {
  try {
    const definition = getIndicator(spec.indicator);
    return definition.warmup(resolveParameters(definition, spec.parameters), WARMUP_TOLERANCE);
  } catch (error) {
    if (error instanceof DomainError) return 0;
    throw error;
  }
}
