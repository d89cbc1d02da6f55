import { badUserInput } from "../domain/errors";
import type { GivenParameters, IndicatorDefinition, IndicatorParameters, ParameterSpec } from "./indicator";

/**
 * Validates user-given parameters against a definition and fills in defaults.
 *
 * @param definition the indicator whose `parameters` declare names, defaults and bounds
 * @param given parameter values by name; may omit any parameter (its default is used)
 * @returns a frozen record with every declared parameter present, in declaration order
 * @throws DomainError BAD_USER_INPUT when a name is unknown (the message lists the valid names),
 *   a value is not a finite number, a whole number is required but not given, a value lies outside
 *   [minimum, maximum] (the message names the bounds), or the definition's `checkParameters` rule fails
 */
export function resolveParameters(
  definition: IndicatorDefinition,
  given: GivenParameters,
): IndicatorParameters {
  const specs = new Map(definition.parameters.map((spec) => [spec.name, spec]));
  for (const name of Object.keys(given)) {
    if (!specs.has(name)) {
      const valid = definition.parameters.map((spec) => spec.name);
      throw badUserInput(
        valid.length === 0
          ? `Indicator "${definition.id}" takes no parameters, but "${name}" was given.`
          : `Unknown parameter "${name}" for indicator "${definition.id}". Valid parameters: ${valid.join(", ")}.`,
        { indicator: definition.id, parameter: name, validParameters: valid },
      );
    }
  }
  const resolved: Record<string, number> = {};
  for (const spec of definition.parameters) {
    const value = Object.prototype.hasOwnProperty.call(given, spec.name) ? given[spec.name] : spec.defaultValue;
    checkValue(definition.id, spec, value);
    resolved[spec.name] = value;
  }
  const frozen = Object.freeze(resolved);
  definition.checkParameters?.(frozen);
  return frozen;
}

function checkValue(indicator: string, spec: ParameterSpec, value: unknown): void {
  const where = `Parameter "${spec.name}" of indicator "${indicator}"`;
  const details = { indicator, parameter: spec.name, value, minimum: spec.minimum, maximum: spec.maximum };
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw badUserInput(`${where} must be a finite number, got ${String(value)}.`, details);
  }
  if (spec.integer && !Number.isInteger(value)) {
    throw badUserInput(`${where} must be a whole number of bars, got ${value}.`, details);
  }
  if (value < spec.minimum || value > spec.maximum) {
    throw badUserInput(
      `${where} must be between ${spec.minimum} and ${spec.maximum} (inclusive), got ${value}.`,
      details,
    );
  }
}

/**
 * Reads a resolved integer parameter inside an indicator.
 * @param parameters output of `resolveParameters`
 * @param name the parameter's name
 * @returns its value, a safe integer
 * @throws Error (a programming error, not user input) when the parameter is missing or not an
 *   integer, i.e. when the caller skipped `resolveParameters`
 */
export function integerParameter(parameters: IndicatorParameters, name: string): number {
  const value = parameters[name];
  if (!Number.isSafeInteger(value)) {
    throw new Error(`Indicator parameter "${name}" is ${String(value)}; call resolveParameters first.`);
  }
  return value;
}

/**
 * Reads a resolved real-valued parameter inside an indicator.
 * @throws Error (a programming error) when the parameter is missing or not finite
 */
export function realParameter(parameters: IndicatorParameters, name: string): number {
  const value = parameters[name];
  if (!Number.isFinite(value)) {
    throw new Error(`Indicator parameter "${name}" is ${String(value)}; call resolveParameters first.`);
  }
  return value;
}

/** Typed settings of an indicator whose only parameter is its `period` (bars). */
export interface PeriodSettings {
  readonly period: number;
}

/**
 * Reads the `period` parameter once, for `IndicatorModule.read`.
 * @throws Error (a programming error) as `integerParameter`
 */
export function readPeriod(parameters: IndicatorParameters): PeriodSettings {
  return { period: integerParameter(parameters, "period") };
}
