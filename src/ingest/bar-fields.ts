/**
 * Parsing of the bar fields every ingest path receives as text (CSV cells, Redis Stream entries), with the same
 * rules and messages everywhere.
 */

const EPOCH_DIGITS = /^\d+$/;
/** ISO-8601 date-time with a zone: year, month, day, hour, minute, [second, [fraction]], Z or sign, hours, minutes. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Epoch values below this (1973-03-03 in ms) are taken for seconds, at or above 1e14 (year 5138 in ms) for microseconds. */
const MIN_EPOCH_MS = 1e11;
const MIN_EPOCH_US = 1e14;

/** True when `text` is all digits: an epoch open time (how a CSV's first data row is told from a header). */
export function isEpochDigits(text: string): boolean {
  return EPOCH_DIGITS.test(text);
}

/** Longest field accepted, characters (a price, a volume or an ISO-8601 time is far shorter). */
export const MAX_FIELD_LENGTH = 64;

/** @throws FieldError when `text` is longer than MAX_FIELD_LENGTH */
function checkLength(name: string, text: string): void {
  if (text.length > MAX_FIELD_LENGTH) throw new FieldError(`${name} is ${text.length} characters long; at most ${MAX_FIELD_LENGTH} are accepted`);
}

/** A field that is not what it must be; its message says why, for the user. */
export class FieldError extends Error {}

/**
 * Epoch ms from ISO-8601 with a zone, epoch milliseconds, or epoch microseconds that are a whole millisecond.
 * @throws FieldError saying why the text is none of them
 */
export function parseOpenTimeField(text: string): number {
  checkLength("open time", text);
  if (EPOCH_DIGITS.test(text)) {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) {
      throw new FieldError(`open time ${text} is out of range for epoch milliseconds or microseconds`);
    }
    if (value < MIN_EPOCH_MS) {
      throw new FieldError(`open time ${text} looks like epoch seconds; use epoch milliseconds or ISO-8601`);
    }
    if (value < MIN_EPOCH_US) {
      return value;
    }
    if (value % 1000 !== 0) {
      throw new FieldError(`open time ${text} (epoch microseconds) is not a whole millisecond`);
    }
    return value / 1000;
  }
  const instant = parseIsoWithZone(text);
  if (instant === undefined) {
    throw new FieldError(
      `open time "${text}" is neither ISO-8601 with a zone (e.g. 2024-01-01T00:00:00Z) nor epoch milliseconds`,
    );
  }
  return instant;
}

/**
 * Epoch ms of an ISO-8601 date-time with a zone, or undefined when malformed or out of range (month 13,
 * February 30, hour 24). Hand-written because Date.parse rolls invalid dates over and luxon is 40x slower.
 */
function parseIsoWithZone(text: string): number | undefined {
  const match = ISO_WITH_ZONE.exec(text);
  if (match === null) {
    return undefined;
  }
  const part = (group: number) => (match[group] === undefined ? 0 : Number(match[group]));
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(part);
  const millisecond = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0"));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const inRange =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 &&
    offsetHours <= 23 && offsetMinutes <= 59;
  const offsetMs = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMs : undefined;
}

/**
 * A decimal number (optionally signed, with exponent) that is finite.
 * @param column the field's name, for the message
 * @throws FieldError saying why the text is not one
 */
export function parseNumberField(column: string, text: string): number {
  checkLength(column, text);
  if (!DECIMAL.test(text)) {
    throw new FieldError(`${column} "${text}" is not a number`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new FieldError(`${column} "${text}" is not a finite number`);
  }
  return value;
}
