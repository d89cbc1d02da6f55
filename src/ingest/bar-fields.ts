import { isoInstant } from "../domain/instant";
/**
 * Parsing of the bar fields every ingest path receives as text (CSV cells, Redis Stream entries), with the same
 * rules and messages everywhere.
 */

const EPOCH_DIGITS = /^\d+$/;
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
  const instant = isoInstant(text);
  if (instant === undefined) {
    throw new FieldError(
      `open time "${text}" is neither ISO-8601 with a zone (e.g. 2024-01-01T00:00:00Z) nor epoch milliseconds`,
    );
  }
  return instant;
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
