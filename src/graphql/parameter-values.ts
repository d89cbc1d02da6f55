import { badUserInput } from "../domain/errors";
import type { ParameterValueInput } from "./indicator.input";

/**
 * Turns the GraphQL list of parameter values into a record by name.
 * @throws DomainError BAD_USER_INPUT when a name is given twice
 */
export function toParameterRecord(values: readonly ParameterValueInput[] | null | undefined, indicator: string): Record<string, number> {
  // No prototype: names such as "constructor" must read as unknown parameters, not as inherited members.
  const parameters: Record<string, number> = Object.create(null);
  for (const { name, value } of values ?? []) {
    if (Object.hasOwn(parameters, name)) throw badUserInput(`Parameter "${name}" is given twice for indicator "${indicator}".`);
    parameters[name] = value;
  }
  return parameters;
}
