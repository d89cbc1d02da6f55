import { gapsBetween, type Gap } from "./gaps";
import { timeframeDurationMs, type Timeframe } from "./timeframe";
import type { TradingCalendar } from "./trading-calendar";

/** The stored bars of a series within a range: first and last open times (null when none) and where they skip slots. */
export interface StoredSpan {
  readonly first: number | null;
  readonly last: number | null;
  /** Consecutive stored open times more than one bar apart, oldest first. */
  readonly jumps: readonly { readonly previousOpenTime: number; readonly nextOpenTime: number }[];
}

/**
 * The trading slots of open times [from, to] (epoch ms on the grid, inclusive) that hold no stored bar, as gaps
 * (runs of consecutive missing trading slots; closed slots of the calendar are never missing), oldest first: before
 * the first stored bar, between stored bars, and after the last one.
 */
export function missingGaps(span: StoredSpan, from: number, to: number, timeframe: Timeframe, calendar: TradingCalendar): Gap[] {
  const duration = timeframeDurationMs(timeframe);
  // Virtual neighbours one slot outside the range make gapsBetween count the range's own edge slots.
  const before = from - duration;
  const after = to + duration;
  if (span.first === null || span.last === null) return gapsBetween(before, after, timeframe, calendar);
  const gaps = span.first > from ? gapsBetween(before, span.first, timeframe, calendar) : [];
  for (const jump of span.jumps) gaps.push(...gapsBetween(jump.previousOpenTime, jump.nextOpenTime, timeframe, calendar));
  if (span.last < to) gaps.push(...gapsBetween(span.last, after, timeframe, calendar));
  return gaps;
}

/** `gaps` without the slots that `removed` cover (both oldest first, slots `duration` ms apart), oldest first. */
export function subtractGaps(gaps: readonly Gap[], removed: readonly Gap[], duration: number): Gap[] {
  const result: Gap[] = [];
  for (const gap of gaps) {
    let start = gap.firstMissingOpenTime;
    for (const cut of removed) {
      if (cut.lastMissingOpenTime < start || cut.firstMissingOpenTime > gap.lastMissingOpenTime) continue;
      if (cut.firstMissingOpenTime > start) result.push(gapOf(start, cut.firstMissingOpenTime - duration, duration));
      start = Math.max(start, cut.lastMissingOpenTime + duration);
    }
    if (start <= gap.lastMissingOpenTime) result.push(gapOf(start, gap.lastMissingOpenTime, duration));
  }
  return result;
}

/**
 * The slots of `gap` that `fetched` (open times, ascending) did not fill, as gaps, oldest first. The slots of a gap are
 * consecutive trading slots, so every run left is a gap of its own.
 */
export function unfilledSlots(gap: Gap, fetched: readonly number[], duration: number): Gap[] {
  const result: Gap[] = [];
  let previous = gap.firstMissingOpenTime - duration;
  for (const openTime of fetched) {
    if (openTime < gap.firstMissingOpenTime || openTime > gap.lastMissingOpenTime) continue;
    if (openTime - previous > duration) result.push(gapOf(previous + duration, openTime - duration, duration));
    previous = openTime;
  }
  if (gap.lastMissingOpenTime > previous) result.push(gapOf(previous + duration, gap.lastMissingOpenTime, duration));
  return result;
}

function gapOf(first: number, last: number, duration: number): Gap {
  return { firstMissingOpenTime: first, lastMissingOpenTime: last, missingBars: (last - first) / duration + 1 };
}
