import { Bar } from "./bar";
import { isOnGrid, timeframeLabel, Timeframe } from "./timeframe";

const PRICE_FIELDS = ["open", "high", "low", "close"] as const;

/**
 * Checks one bar against the rules every stored bar obeys, for CSV import and live ingest alike.
 * Duplicates and ordering are the caller's concern (they need the neighbouring bars).
 *
 * @param bar the bar to check; `openTime` epoch ms UTC
 * @returns null when the bar is valid, else the first broken rule in words a user can act on:
 *   open time off the UTC grid of `timeframe` (never rounded), a non-finite price or volume,
 *   a price <= 0, high < low, high below max(open, close), low above min(open, close), negative volume
 */
export function validateBar(bar: Bar, timeframe: Timeframe): string | null {
  if (!isOnGrid(bar.openTime, timeframe)) {
    return (
      `open time ${formatOpenTime(bar.openTime)} is not on the ${timeframeLabel(timeframe)} grid; ` +
      `bars must start on the UTC grid of their timeframe`
    );
  }
  for (const field of [...PRICE_FIELDS, "volume"] as const) {
    if (!Number.isFinite(bar[field])) {
      return `${field} ${bar[field]} is not a finite number`;
    }
  }
  for (const field of PRICE_FIELDS) {
    if (bar[field] <= 0) {
      return `${field} ${bar[field]} must be greater than 0`;
    }
  }
  if (bar.high < bar.low) {
    return `high ${bar.high} is below low ${bar.low}`;
  }
  if (bar.high < Math.max(bar.open, bar.close)) {
    return `high ${bar.high} is below max(open ${bar.open}, close ${bar.close})`;
  }
  if (bar.low > Math.min(bar.open, bar.close)) {
    return `low ${bar.low} is above min(open ${bar.open}, close ${bar.close})`;
  }
  if (bar.volume < 0) {
    return `volume ${bar.volume} is negative`;
  }
  return null;
}

/** ISO-8601 UTC without a zero millisecond part ("2024-01-01T00:00:30Z"); the raw number when not a valid instant. */
function formatOpenTime(openTimeMs: number): string {
  return Number.isFinite(openTimeMs) && Math.abs(openTimeMs) <= 8.64e15
    ? new Date(openTimeMs).toISOString().replace(".000Z", "Z")
    : String(openTimeMs);
}
