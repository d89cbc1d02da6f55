import { badUserInput, quoteInput } from "./errors";

/** ISO-8601 date-time with a zone: year, month, day, hour, minute, [second, [fraction]], Z or sign, hours, minutes. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when year-month-day is a real calendar date (no February 30, no month 13). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Epoch ms of an ISO-8601 date-time with a zone, or undefined when malformed or out of range (month 13,
 * February 30, hour 24). Hand-written because Date.parse rolls invalid dates over and luxon is 40x slower.
 */
export function isoInstant(text: string): number | undefined {
  const match = ISO_WITH_ZONE.exec(text);
  if (match === null) {
    return undefined;
  }
  const part = (group: number) => (match[group] === undefined ? 0 : Number(match[group]));
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(part);
  const millisecond = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0"));
  const inRange = isCalendarDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  const offsetMs = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMs : undefined;
}

/** Epoch ms of 00:00 UTC of a date alone ("2024-01-01"), or undefined when it is not one (or not a real date). */
export function dateOnlyInstant(text: string): number | undefined {
  const match = DATE_ONLY.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isCalendarDate(year, month, day) ? Date.UTC(year, month - 1, day) : undefined;
}

/**
 * Epoch ms of an instant given as text (a command-line option, a query-string parameter): ISO-8601 with a zone
 * ("2024-01-01T00:00:00Z") or a date alone (00:00 UTC).
 * @param option the option's or parameter's name for the message, e.g. "--from"
 * @throws DomainError BAD_USER_INPUT saying what to write (also for dates that do not exist, e.g. February 30)
 */
export function parseInstant(option: string, text: string): number {
  const value = dateOnlyInstant(text) ?? isoInstant(text);
  if (value === undefined) throw badUserInput(`${option} ${quoteInput(text)} is not an instant: write ISO-8601 with a zone (2024-01-01T00:00:00Z) or a date (2024-01-01).`);
  return value;
}
