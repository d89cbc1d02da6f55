import { z } from "zod";
import { DomainError } from "../domain/errors";
import { SYMBOL_PATTERN } from "../domain/instrument";
import { parseTimeframe } from "../domain/timeframe";
import { parseCalendar } from "../domain/trading-calendar";
import type { WatchedSeries } from "../ingest/watchlist.service";
import { readJsonConfigFile } from "./json-config-file";

/** Closed bars a watched series holds at least when the file does not say. */
export const DEFAULT_HISTORY_BARS = 1_000;

/** Parses with a domain parser, turning its DomainError into a zod issue with the parser's message. */
const parsedBy = <T>(parse: (text: string) => T) =>
  z.string().transform((text, context) => {
    try {
      return parse(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: error instanceof DomainError ? error.message : String(error) });
      return z.NEVER;
    }
  });

const WATCHLIST = z
  .array(
    z
      .object({
        symbol: z.string().regex(SYMBOL_PATTERN, "must be a ticker such as BTCUSDT"),
        timeframe: parsedBy(parseTimeframe),
        provider: z.string().regex(/^[a-z0-9]{1,32}$/, 'must be a provider name such as "binance"'),
        calendar: parsedBy(parseCalendar).optional(),
        features: z.array(z.string().min(1).max(100)).max(50).default([]),
        historyBars: z.number().int().min(1).max(1_000_000).default(DEFAULT_HISTORY_BARS),
      })
      .strict(),
  )
  .max(1_000);

/**
 * Reads CANDELA_WATCHLIST_FILE: the series to keep live, as JSON
 * `[{ "symbol": "BTCUSDT", "timeframe": "1m", "provider": "binance", "features": ["rsi_14"], "historyBars": 1000 }]`
 * (`calendar`, a preset or session as `candela import --calendar` takes it, applies to a new instrument).
 * @param providers the configured providers' names: an entry naming another is an error
 * @throws Error naming the file and each malformed entry (the server does not start)
 */
export function readWatchlistFile(file: string, providers: readonly string[]): WatchedSeries[] {
  const entries = readJsonConfigFile("CANDELA_WATCHLIST_FILE", file, WATCHLIST);
  entries.forEach((entry, index) => {
    if (!providers.includes(entry.provider)) {
      throw new Error(`CANDELA_WATCHLIST_FILE ${file}: [${index}].provider "${entry.provider}" is not configured (configured: ${providers.join(", ")}).`);
    }
  });
  return entries;
}
