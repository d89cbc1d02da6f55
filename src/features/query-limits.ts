import { badUserInput } from "../domain/errors";
import { floorToGrid, timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { OpenTimeRange } from "../domain/open-time-range";

/** Open-time bounds used when a query leaves `from` or `to` open: 0001-01-01 and the last instant JavaScript dates hold. */
export const EARLIEST_OPEN_TIME = -62_135_596_800_000;
export const LATEST_OPEN_TIME = 8_640_000_000_000_000;

/** Most grid slots one `indicators` request may span (about 69 days of 1m bars, 11 years of 1h bars). */
export const MAX_INDICATOR_RANGE_BARS = 100_000;
/**
 * Most bars loaded before `from` to warm up the indicators of one `indicators` request. A spec needing more
 * (e.g. EMA with period 10,000) is refused; OBV, whose value depends on the whole history, loads at most this
 * many and says whether that was the whole history (`historySufficient`).
 */
export const MAX_INDICATOR_WARMUP_BARS = 100_000;
/** Most grid slots one `features` request may span. */
export const MAX_FEATURE_RANGE_BARS = 100_000;
/** Most grid slots one `series` request may span (bulk transfer for training jobs). */
export const MAX_SERIES_RANGE_BARS = 500_000;
/** Most indicator specs in one `indicators` request. */
export const MAX_INDICATOR_SPECS = 20;
/** Most features one request may name. */
export const MAX_FEATURES_PER_REQUEST = 50;
/** Most symbols one `latestFeatures` request may name. */
export const MAX_LATEST_SYMBOLS = 500;
/** Most closed bars per series whose values `latestFeatures(window: N)` returns (the live materializer keeps them in memory). */
export const MAX_LATEST_WINDOW = 1_000;
/** Most bars one `ingestBars` request may carry. */
export const MAX_INGEST_BARS = 5_000;
/** Default and largest page size of `bars`. */
export const DEFAULT_BARS_PAGE_SIZE = 500;
export const MAX_BARS_PAGE_SIZE = 5_000;

/**
 * Validates a requested open-time range (epoch ms, both ends inclusive) and returns it.
 * @param maxBars when given, the most grid slots of `timeframe` the range may span
 * @throws DomainError BAD_USER_INPUT when `from` is after `to` or the range is too long
 */
export function validateRange(range: OpenTimeRange, timeframe: Timeframe, maxBars?: number): OpenTimeRange {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) {
    throw badUserInput("`from` and `to` must be valid instants (ISO-8601, e.g. 2024-01-01T00:00:00Z).");
  }
  if (range.from > range.to) {
    throw badUserInput(
      `\`from\` (${new Date(range.from).toISOString()}) is after \`to\` (${new Date(range.to).toISOString()}); swap them.`,
    );
  }
  if (maxBars !== undefined) {
    const slots = rangeSlots(range, timeframe);
    if (slots > maxBars) {
      throw badUserInput(
        `The range spans ${slots} ${timeframeLabel(timeframe)} bars; at most ${maxBars} are allowed per request. ` +
          "Split it into smaller ranges.",
        { maxBars, requestedBars: slots },
      );
    }
  }
  return range;
}

/**
 * Grid slots of `timeframe` between `range.from` and `range.to` (epoch ms, both inclusive): the most bars
 * the range can hold. 0 when `from` is after `to` or either end is not a finite instant.
 */
export function rangeSlots(range: OpenTimeRange, timeframe: Timeframe): number {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.from > range.to) return 0;
  return (floorToGrid(range.to, timeframe) - floorToGrid(range.from, timeframe)) / timeframeDurationMs(timeframe) + 1;
}
