import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { badUserInput, quoteInput } from "../domain/errors";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { parseTimeframe, timeframeLabel } from "../domain/timeframe";
import { BarDeletionRepository } from "../store/offline/bar-deletion.repository";
import { invalidateCachedQueries, withDatabase } from "./cli-runtime";
import { parseInstant } from "../domain/instant";

/** What `candela bars delete` takes. */
interface DeleteOptions {
  readonly symbol: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
}

/**
 * `candela bars delete --symbol S --timeframe 1m --from T1 --to T2 [--dry-run] [--yes]`: undoes a mistaken import.
 * Prints what would go; on a terminal asks for confirmation (without one, `--yes` is required); then deletes the
 * bars, the stored feature values depending on them and the cached answers, in one transaction every running
 * server hears of. Exit codes: 0 done (or dry run), 1 not confirmed, 2 usage or database error.
 */
export function barsCommand(): Command {
  const bars = new Command("bars").description("manage stored bars");
  bars
    .command("delete")
    .description("delete the bars of one series in a range, with the feature values and cached answers depending on them")
    .requiredOption("--symbol <symbol>", "instrument ticker, e.g. BTCUSDT")
    .requiredOption("--timeframe <timeframe>", "bar timeframe: 1m, 5m, 15m, 30m, 1h, 4h, 1d")
    .requiredOption("--from <instant>", "first open time to delete, ISO-8601 (e.g. 2024-01-01T00:00:00Z or 2024-01-01)")
    .requiredOption("--to <instant>", "last open time to delete, ISO-8601, inclusive")
    .option("--dry-run", "only say what would be deleted", false)
    .option("--yes", "do not ask for confirmation (needed when stdin is not a terminal)", false)
    .action(async (options: DeleteOptions) => {
      process.exitCode = await deleteBars(options);
    });
  return bars;
}

async function deleteBars(options: DeleteOptions): Promise<number> {
  const symbol = options.symbol.trim().toUpperCase();
  if (!isValidSymbol(symbol)) throw badUserInput(`${quoteInput(options.symbol)} is not a valid symbol (${SYMBOL_RULE}).`);
  const timeframe = parseTimeframe(options.timeframe);
  const range = { from: parseInstant("--from", options.from), to: parseInstant("--to", options.to) };
  if (range.from > range.to) throw badUserInput("--from is after --to; swap them.");
  return withDatabase(async (database, config) => {
    const store = new BarDeletionRepository(database.pool);
    const series = `${symbol} ${timeframeLabel(timeframe)}`;
    const found = await store.deleteBars(symbol, timeframe, range, true);
    if (found.bars === 0) {
      console.log(`${series}: no bar opens between ${iso(range.from)} and ${iso(range.to)}; nothing to delete.`);
      return 0;
    }
    console.log(`${series}: ${found.bars} bars from ${iso(found.firstOpenTime!)} to ${iso(found.lastOpenTime!)}, and the feature values computed from them.`);
    if (options.dryRun) return 0;
    if (!options.yes && !(await confirmed(`Delete these ${found.bars} bars? Type "delete" to confirm: `))) {
      console.error("Not deleted.");
      return 1;
    }
    const deleted = await store.deleteBars(symbol, timeframe, range, false);
    await invalidateCachedQueries(config.REDIS_URL, symbol);
    console.log(`${series}: deleted ${deleted.bars} bars.`);
    return 0;
  });
}

/** Asks on the terminal; refuses when stdin is not one (scripts pass --yes). */
async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw badUserInput("stdin is not a terminal: pass --yes to delete without confirmation (try --dry-run first).");
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question(question)).trim() === "delete";
  } finally {
    terminal.close();
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
