import { badUserInput, quoteInput } from "./errors";

/**
 * Epoch ms of an instant given as text (a command-line option, a query-string parameter): ISO-8601 with a zone
 * ("2024-01-01T00:00:00Z") or a date alone (00:00 UTC).
 * @param option the option's or parameter's name for the message, e.g. "--from"
 * @throws DomainError BAD_USER_INPUT saying what to write
 */
export function parseInstant(option: string, text: string): number {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(value)) throw badUserInput(`${option} ${quoteInput(text)} is not an instant: write ISO-8601 with a zone (2024-01-01T00:00:00Z) or a date (2024-01-01).`);
  return value;
}
