import { isOnGrid, timeframeDurationMs, Timeframe } from "./timeframe";
import { openIntervals, TradingCalendar } from "./trading-calendar";

/**
 * A run of consecutive missing grid slots in which the market was open: bars that should exist but do not.
 * Times are bar open times, epoch ms UTC; `missingBars` = (last - first) / duration + 1.
 */
export interface Gap {
  readonly firstMissingOpenTime: number;
  readonly lastMissingOpenTime: number;
  readonly missingBars: number;
}

/**
 * The gaps strictly between two consecutive stored bars of one series.
 *
 * A grid slot [t, t + duration) is a trading slot when the calendar has the market open during any part
 * of it. A gap is a maximal run of consecutive missing trading slots: closed slots are never gaps, and a
 * closed slot between two missing trading slots splits them into two gaps (a Friday-evening hole and a
 * Monday-morning hole around a weekend are two gaps). Cost: O(1) for ALWAYS_OPEN, O(weeks spanned) for
 * a weekly session, whatever the number of slots (1m bars across a weekend included).
 *
 * @param previousOpenTime open time of the earlier stored bar, epoch ms UTC, on the grid
 * @param nextOpenTime open time of the later stored bar, epoch ms UTC, on the grid
 * @returns the gaps, oldest first; [] when the bars are adjacent
 * @throws RangeError when an open time is off the timeframe grid or nextOpenTime <= previousOpenTime
 *   (a caller bug: stored bars are validated, sorted and unique)
 */
export function gapsBetween(
  previousOpenTime: number,
  nextOpenTime: number,
  timeframe: Timeframe,
  calendar: TradingCalendar,
): Gap[] {
  if (!isOnGrid(previousOpenTime, timeframe) || !isOnGrid(nextOpenTime, timeframe)) {
    throw new RangeError(`gapsBetween: open times ${previousOpenTime}, ${nextOpenTime} must be on the ${timeframe} grid`);
  }
  if (nextOpenTime <= previousOpenTime) {
    throw new RangeError(`gapsBetween: ${nextOpenTime} does not come after ${previousOpenTime}`);
  }
  const duration = timeframeDurationMs(timeframe);
  const firstCandidate = previousOpenTime + duration;
  const lastCandidate = nextOpenTime - duration;
  const gaps: Gap[] = [];
  for (const interval of openIntervals(calendar, firstCandidate, nextOpenTime)) {
    // Slots overlapping [start, end): from the slot containing start to the slot containing end - 1.
    const first = Math.max(Math.floor(interval.start / duration) * duration, firstCandidate);
    const last = Math.min(Math.floor((interval.end - 1) / duration) * duration, lastCandidate);
    const previous = gaps[gaps.length - 1];
    if (previous !== undefined && first <= previous.lastMissingOpenTime + duration) {
      gaps[gaps.length - 1] = runOf(previous.firstMissingOpenTime, Math.max(last, previous.lastMissingOpenTime), duration);
    } else {
      gaps.push(runOf(first, last, duration));
    }
  }
  return gaps;
}

/**
 * All gaps of a series: {@link gapsBetween} over each pair of consecutive open times.
 * Nothing before the first or after the last stored bar counts as a gap.
 * @param openTimes the stored bars' open times, epoch ms UTC, strictly ascending, on the grid
 * @returns the gaps, oldest first
 * @throws RangeError when openTimes are not strictly ascending or off the grid (see {@link gapsBetween})
 */
export function findGaps(openTimes: ArrayLike<number>, timeframe: Timeframe, calendar: TradingCalendar): Gap[] {
  const duration = timeframeDurationMs(timeframe);
  const gaps: Gap[] = [];
  for (let i = 1; i < openTimes.length; i++) {
    const previous = openTimes[i - 1];
    const next = openTimes[i];
    if (next - previous !== duration || !isOnGrid(next, timeframe)) {
      gaps.push(...gapsBetween(previous, next, timeframe, calendar));
    }
  }
  return gaps;
}

/** Total number of missing bars over `gaps`. */
export function countMissingBars(gaps: readonly Gap[]): number {
  return gaps.reduce((sum, gap) => sum + gap.missingBars, 0);
}

function runOf(first: number, last: number, duration: number): Gap {
  return { firstMissingOpenTime: first, lastMissingOpenTime: last, missingBars: (last - first) / duration + 1 };
}
