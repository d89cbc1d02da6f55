import type { TradingCalendar } from "../domain/trading-calendar";
import type { Timeframe } from "../domain/timeframe";

/**
 * The series a computation runs over, for indicators whose value depends on where a bar sits in time (a
 * session-anchored VWAP resets at each session open, which needs the bars' timeframe and the market's
 * trading calendar, together with each bar's open time). Optional in `createStream` and `computeBatch`:
 * indicators that do not need it ignore it, and one that needs it throws an Error naming it when it is
 * missing. No indicator in the registry needs it yet.
 */
export interface SeriesContext {
  /** The bars' timeframe (grid and duration of each bar). */
  readonly timeframe: Timeframe;
  /** When the market trades (sessions, time zone). */
  readonly calendar: TradingCalendar;
}
