import { timeframeLabel, type Timeframe } from "./timeframe";

/** Series keys are "<symbol>/<label>"; symbols are [A-Z0-9._-] (instrument.ts), labels [0-9a-z]. */
const SERIES_KEY_PATTERN = /^([A-Za-z0-9._-]+)\/([0-9A-Za-z]+)$/;

/**
 * The key naming one series (symbol, timeframe) in maps, caches and stores: "BTCUSDT/1h".
 * @param symbol an upper-case ticker (see isValidSymbol)
 */
export function seriesKey(symbol: string, timeframe: Timeframe): string {
  return `${symbol}/${timeframeLabel(timeframe)}`;
}

/**
 * The symbol of a series key: "BTCUSDT/1h" → "BTCUSDT".
 * @throws Error when `key` is not "<symbol>/<timeframe label>" (a programming error, never user input)
 */
export function symbolOfSeriesKey(key: string): string {
  const match = SERIES_KEY_PATTERN.exec(key);
  if (match === null) throw new Error(`Series key "${key}" is not of the form "<symbol>/<timeframe label>", e.g. "BTCUSDT/1h".`);
  return match[1];
}
