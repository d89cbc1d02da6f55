import { validateBar } from "../domain/bar-validation";
import { DomainError } from "../domain/errors";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { parseTimeframe, type Timeframe } from "../domain/timeframe";
import { FieldError, MAX_FIELD_LENGTH, parseNumberField, parseOpenTimeField } from "./bar-fields";
import type { LiveBar } from "./live-ingest.service";

/** The fields of an ingest stream entry (see README "Live ingest": the entry format). */
export const STREAM_ENTRY_FIELDS = ["symbol", "timeframe", "openTime", "open", "high", "low", "close", "volume", "closed"] as const;

/** A valid entry: one bar of one series. */
export interface StreamBar {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bar: LiveBar;
}

/**
 * Parses one Redis Stream entry of the ingest stream: `symbol` (a ticker), `timeframe` ("1m" … "1d"), `openTime`
 * (ISO-8601 with a zone, or epoch milliseconds), `open`, `high`, `low`, `close`, `volume` (decimal text) and
 * optionally `closed` ("true", the default, or "false" for a forming bar). The bar is validated exactly as a CSV row
 * is (grid, finite positive prices, high/low consistency, non-negative volume), and may not open in the future.
 * @param now epoch ms
 * @returns the bar, or the reason the entry is rejected (in words a producer can act on)
 */
export function parseStreamEntry(fields: Readonly<Record<string, string>>, now: number): StreamBar | { readonly error: string } {
  try {
    const unknown = Object.keys(fields).filter((name) => !(STREAM_ENTRY_FIELDS as readonly string[]).includes(name));
    if (unknown.length > 0) return { error: `unknown field ${unknown.map((name) => `"${name.slice(0, 32)}"`).join(", ")}; fields are ${STREAM_ENTRY_FIELDS.join(", ")}` };
    for (const name of STREAM_ENTRY_FIELDS) {
      const value = fields[name];
      if (value === undefined && name !== "closed") return { error: `field "${name}" is missing` };
      if (value !== undefined && value.length > MAX_FIELD_LENGTH) return { error: `field "${name}" is longer than ${MAX_FIELD_LENGTH} characters` };
    }
    if (!isValidSymbol(fields.symbol)) return { error: `symbol must be ${SYMBOL_RULE}` };
    const timeframe = parseTimeframe(fields.timeframe);
    const closedText = fields.closed ?? "true";
    if (closedText !== "true" && closedText !== "false") return { error: `closed must be "true" or "false", got "${closedText.slice(0, 16)}"` };
    const bar: LiveBar = {
      openTime: parseOpenTimeField(fields.openTime),
      open: parseNumberField("open", fields.open),
      high: parseNumberField("high", fields.high),
      low: parseNumberField("low", fields.low),
      close: parseNumberField("close", fields.close),
      volume: parseNumberField("volume", fields.volume),
      closed: closedText === "true",
    };
    const problem = validateBar(bar, timeframe) ?? (bar.openTime > now ? `open time ${new Date(bar.openTime).toISOString()} is in the future` : null);
    return problem === null ? { symbol: fields.symbol, timeframe, bar } : { error: problem };
  } catch (error) {
    if (error instanceof FieldError || error instanceof DomainError) return { error: error.message };
    throw error;
  }
}
