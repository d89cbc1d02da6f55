import { openIntervals, type TradingCalendar } from "./trading-calendar";
import { timeframeDurationMs, type Timeframe } from "./timeframe";

/** The span the average is taken over: four whole calendar years (2021-2024, one leap day), fixed so values never move. */
const REFERENCE_FROM = Date.UTC(2021, 0, 1);
const REFERENCE_TO = Date.UTC(2025, 0, 1);
const REFERENCE_YEARS = 4;

/**
 * Average number of bars a year for a market: the calendar's open time over 2021-2024 (its weekly session minus its
 * holidays and closures) divided by the timeframe's duration, divided by 4. Used to annualize per-bar statistics
 * (volatility × sqrt(bars per year)), the convention of Hull, Options, Futures and Other Derivatives, section 15.4,
 * with the market's own count instead of a rounded 252 or 365: 365.25 daily bars for an always-open market,
 * 251.25 for the `nyse` preset, 8,766 hourly bars for crypto.
 * @param calendar the market's trading calendar
 * @param timeframe the bars' timeframe
 * @returns bars per year (not rounded), > 0 for any calendar that trades at all; 0 for one that never opens
 */
export function barsPerYear(calendar: TradingCalendar, timeframe: Timeframe): number {
  let openMs = 0;
  for (const interval of openIntervals(calendar, REFERENCE_FROM, REFERENCE_TO)) openMs += interval.end - interval.start;
  return openMs / timeframeDurationMs(timeframe) / REFERENCE_YEARS;
}
