import type { TradingCalendar } from "./trading-calendar";
import type { Timeframe } from "./timeframe";

/** A tradable symbol and the trading calendar its bars follow (which grid slots are expected to trade). */
export interface Instrument {
  /** Upper-case ticker, e.g. "BTCUSDT". */
  readonly symbol: string;
  readonly calendar: TradingCalendar;
}

/** What is stored for one (symbol, timeframe) series. Times are epoch milliseconds, UTC. */
export interface SeriesSummary {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly barCount: number;
  readonly firstOpenTime: number;
  readonly lastOpenTime: number;
}

/** A well-formed ticker: 1-32 of A-Z, 0-9, '.', '_', '-', starting alphanumeric. */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

/** What SYMBOL_PATTERN accepts, in words, for error messages. */
export const SYMBOL_RULE = "1-32 upper-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. \"BTCUSDT\")";

/** True when `symbol` is a well-formed ticker: 1-32 of A-Z, 0-9, '.', '_', '-', starting alphanumeric. */
export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_PATTERN.test(symbol);
}
