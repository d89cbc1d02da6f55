import { readFileSync } from "node:fs";
import { z } from "zod";
import { SYMBOL_PATTERN } from "../domain/instrument";
import type { InstrumentClosures } from "../domain/trading-calendar";

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
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`CANDELA_CLOSURES_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = CLOSURES.safeParse(content);
  if (!parsed.success) {
    throw new Error(`CANDELA_CLOSURES_FILE ${file} is malformed:\n  ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n  ")}`);
  }
  return new Map(Object.entries(parsed.data).map(([symbol, closures]) => [symbol, new Map(closures.map((closure) => [closure.date, closure.reason]))]));
}
