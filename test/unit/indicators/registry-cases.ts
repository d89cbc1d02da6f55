/**
 * The parameter sets every shared indicator test runs, generated from the registry: each registered
 * indicator with each of its declared `testCases`. Adding an indicator to the registry adds its cases to
 * every test that uses this list.
 */
import type { GivenParameters, IndicatorDefinition } from "../../../src/indicators/indicator";
import { INDICATORS } from "../../../src/indicators/registry";

/** One indicator with one of its test parameter sets. */
export interface IndicatorCase {
  readonly indicator: IndicatorDefinition;
  readonly given: GivenParameters;
  /** e.g. `macd {"fastPeriod":5,"slowPeriod":35,"signalPeriod":5}` */
  readonly label: string;
}

/** Every registered indicator's test cases. */
export function casesOf(indicators: readonly IndicatorDefinition[] = INDICATORS): IndicatorCase[] {
  return indicators.flatMap((indicator) =>
    indicator.testCases.map((given) => ({ indicator, given, label: `${indicator.id} ${JSON.stringify(given)}` })),
  );
}

/** [id, indicator] pairs for `describe.each` over the registry. */
export function registryTable(indicators: readonly IndicatorDefinition[] = INDICATORS): [string, IndicatorDefinition][] {
  return indicators.map((indicator) => [indicator.id, indicator]);
}
