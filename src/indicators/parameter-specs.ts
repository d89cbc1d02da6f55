import type { ParameterSpec } from "./indicator";

/** Largest period any indicator accepts (TA-Lib's bound for every period parameter). */
export const MAX_PERIOD = 100_000;

/**
 * Declares an integer period parameter.
 * @param name parameter name as used in the API, e.g. "period"
 * @param description what the period counts, in bars
 * @param defaultValue default number of bars
 * @param minimum smallest accepted period (TA-Lib's: 2 for most, 1 where a one-bar window makes sense)
 * @returns a ParameterSpec with bounds [minimum, MAX_PERIOD], integer
 */
export function periodParameter(
  name: string,
  description: string,
  defaultValue: number,
  minimum = 2,
): ParameterSpec {
  return { name, description, defaultValue, minimum, maximum: MAX_PERIOD, integer: true };
}

/**
 * Declares a multiple of a distance (standard deviations, ATRs): a real number in [0.01, 100].
 * @param name parameter name as used in the API, e.g. "multiplier"
 * @param description what it multiplies
 * @param defaultValue default multiple
 */
export function multipleParameter(name: string, description: string, defaultValue: number): ParameterSpec {
  return { name, description, defaultValue, minimum: 0.01, maximum: 100, integer: false };
}
