import { floorToGrid, timeframeDurationMs, type Timeframe } from "./timeframe";
import { openIntervals, type TradingCalendar } from "./trading-calendar";

/** How far back the newest expected bar is looked for: longer than any market closure (a year-end, 9/11). */
const SEARCH_WINDOW_MS = 21 * 86_400_000;

/**
 * Open time (epoch ms) of the newest bar of `timeframe` that the calendar expects to have closed by `now`: the
 * newest grid slot ending at or before `now` during which the market was open at some point. Undefined when the
 * market was closed for the whole search window (three weeks).
 */
export function newestExpectedOpenTime(calendar: TradingCalendar, timeframe: Timeframe, now: number): number | undefined {
  const duration = timeframeDurationMs(timeframe);
  const closedBy = floorToGrid(now, timeframe);
  const intervals = openIntervals(calendar, Math.min(closedBy - duration, now - SEARCH_WINDOW_MS), closedBy);
  const last = intervals[intervals.length - 1];
  return last === undefined ? undefined : floorToGrid(last.end - 1, timeframe);
}
