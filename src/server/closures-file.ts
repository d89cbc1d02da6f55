import { z } from "zod";
import { SYMBOL_PATTERN } from "../domain/instrument";
import type { InstrumentClosures } from "../domain/trading-calendar";
import { readJsonConfigFile } from "./json-config-file";

const CLOSURES = z.record(
  z.string().regex(SYMBOL_PATTERN, "keys must be tickers such as BTCUSDT"),
  z.array(
    z
      .object({
        date: z.iso.date("must be a date YYYY-MM-DD"),
        reason: z.string().min(1).max(200),
      })
      .strict(),
  ),
);

/**
 * Reads CANDELA_CLOSURES_FILE: closed days per instrument besides its holiday calendar, as JSON
 * `{ "BTCUSDT": [{ "date": "2023-03-24", "reason": "exchange outage" }] }` (dates local to the session's time zone,
 * UTC for around-the-clock markets). A closed day is neither a gap nor a day the market is expected to trade.
 * @throws Error naming the file and each malformed entry (the server does not start)
 */
export function readClosuresFile(file: string): InstrumentClosures {
  const closures = readJsonConfigFile("CANDELA_CLOSURES_FILE", file, CLOSURES);
  return new Map(Object.entries(closures).map(([symbol, days]) => [symbol, new Map(days.map((closure) => [closure.date, closure.reason]))]));
}
