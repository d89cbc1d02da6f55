import "reflect-metadata";
import { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { statSync } from "node:fs";
import { badUserInput, DomainError } from "../domain/errors";
import { isValidSymbol } from "../domain/instrument";
import { parseTimeframe, timeframeLabel } from "../domain/timeframe";
import { parseCalendar } from "../domain/trading-calendar";
import type { ImportSummary } from "../ingest/bar-importer";
import { importCsvFile } from "../ingest/csv-import";
import { loadConfig } from "../server/config";
import { openDatabase } from "../server/database-runtime";
import { createLogger } from "../server/logger";
import { createCacheAdapters } from "../store/cache-adapters";
import { postgresBarImportStore } from "../store/offline/bar-import.session";

/**
 * `npm run import -- --file F --symbol S --timeframe 1m [--calendar always|fx|weekdays|"Sun 17:00 - Fri 17:00 America/New_York"] [--skip-invalid]`
 * Exit codes: 0 imported, 1 rows rejected (nothing written unless --skip-invalid), 2 usage or I/O error.
 */
async function main(argv: string[]): Promise<number> {
  const options = new Command()
    .name("candela import")
    .description("Import OHLCV bars from a CSV file (ts,open,high,low,close,volume or a Binance kline dump).")
    .requiredOption("--file <path>", "CSV file to import")
    .requiredOption("--symbol <symbol>", "instrument ticker, e.g. BTCUSDT")
    .requiredOption("--timeframe <timeframe>", "bar timeframe: 1m, 5m, 15m, 30m, 1h, 4h, 1d")
    .option("--calendar <calendar>", 'trading calendar: always, fx, weekdays, or "Sun 17:00 - Fri 17:00 America/New_York"')
    .option("--skip-invalid", "import the valid rows and skip invalid ones (default: import nothing if any row is invalid)", false)
    .parse(argv)
    .opts<{ file: string; symbol: string; timeframe: string; calendar?: string; skipInvalid: boolean }>();

  const symbol = options.symbol.trim().toUpperCase();
  if (!isValidSymbol(symbol)) throw badUserInput(`"${options.symbol}" is not a valid symbol (1-32 of A-Z, 0-9, . _ -).`);
  const timeframe = parseTimeframe(options.timeframe);
  const calendar = options.calendar === undefined ? undefined : parseCalendar(options.calendar);
  const fileSize = statSync(options.file).size;

  const config = loadConfig();
  const redisUrl = config.REDIS_URL;
  const runtime = await openDatabase(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL));
  const progress = process.stderr.isTTY ? new SingleBar({ format: "importing [{bar}] {value} rows", clearOnComplete: true }, Presets.shades_classic) : undefined;
  progress?.start(Math.max(1, Math.round(fileSize / 60)), 0);
  try {
    const summary = await importCsvFile(postgresBarImportStore(runtime.database.pool), {
      file: options.file,
      symbol,
      timeframe,
      calendar,
      skipInvalid: options.skipInvalid,
      onProgress: (rowsRead) => progress?.update(rowsRead),
      onCommitted: redisUrl === undefined ? undefined : (committed) => invalidateCachedQueries(redisUrl, committed),
      onRejected: (row) => {
        progress?.stop();
        console.error(`line ${row.line}: ${row.reason}`);
      },
    });
    progress?.stop();
    printSummary(symbol, timeframeLabel(timeframe), summary);
    return summary.committed ? 0 : 1;
  } finally {
    progress?.stop();
    await runtime.close();
  }
}

/**
 * Drops the cached query results of `symbol` in the shared Redis cache; running servers drop their process
 * tier too when they hear of it. (Without Redis, a server's process cache expires within a minute.)
 */
async function invalidateCachedQueries(redisUrl: string, symbol: string): Promise<void> {
  const caches = await createCacheAdapters({ redisUrl });
  try {
    await caches.queryCache.invalidateSeries(symbol);
  } finally {
    await caches.close();
  }
}

function printSummary(symbol: string, timeframe: string, summary: ImportSummary): void {
  const lines = [
    `${symbol} ${timeframe}: ${summary.committed ? "imported" : "NOT imported (no row was written)"}`,
    `  rows read  ${summary.rowsRead}`,
    `  inserted   ${summary.inserted}`,
    `  updated    ${summary.updated}`,
    `  unchanged  ${summary.unchanged}`,
    `  rejected   ${summary.rejected}${summary.committed && summary.rejected > 0 ? " (skipped)" : ""}`,
  ];
  if (summary.committed) {
    lines.push(`  gaps       ${summary.gaps.length} (${summary.missingBars} missing bars)`);
    if (summary.skippedClosures.length > 0) {
      const first = summary.skippedClosures.slice(0, 5).map((closure) => `${closure.date} ${closure.reason}`);
      lines.push(`  closures   ${summary.skippedClosures.length} closed days skipped, not gaps (${first.join("; ")}${summary.skippedClosures.length > 5 ? "; ..." : ""})`);
    }
    for (const gap of summary.gaps.slice(0, 20)) {
      lines.push(`    ${new Date(gap.firstMissingOpenTime).toISOString()} .. ${new Date(gap.lastMissingOpenTime).toISOString()} (${gap.missingBars} bars)`);
    }
    if (summary.gaps.length > 20) lines.push(`    ... and ${summary.gaps.length - 20} more`);
  } else {
    lines.push("  Fix the rows above, or pass --skip-invalid to import the valid rows only.");
  }
  console.log(lines.join("\n"));
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = error instanceof DomainError ? ` [${error.code}]` : "";
    console.error(`candela import${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
