import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { floorToGrid, parseTimeframe, timeframeDurationMs, timeframeLabel } from "../domain/timeframe";
import { parseCalendar } from "../domain/trading-calendar";
import { BackfillService } from "../ingest/backfill.service";
import { LiveIngestService } from "../ingest/live-ingest.service";
import { BackfillStatus, type BackfillJob } from "../ingest/ports/backfill-store";
import { createProviders } from "../providers/providers";
import { providerSettingsOf } from "../server/config";
import { createCacheAdapters } from "../store/cache-adapters";
import { createMemoryEventBus } from "../store/memory/memory-event-bus";
import { createStoreAdapters } from "../store/store-adapters";
import { withDatabase } from "./cli-runtime";
import { parseInstant } from "../domain/instant";

/** What `candela backfill` takes. */
interface BackfillOptions {
  readonly symbol: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to?: string;
  readonly provider: string;
  readonly calendar?: string;
}

/**
 * `candela backfill --symbol S --timeframe 1m --from T [--to T] --provider binance [--calendar ...]` (`npm run backfill
 * -- ...`): fetches the bars the series lacks from the provider and ingests them through the live pipeline's ingest path,
 * with a progress bar. Exit codes: 0 succeeded, 1 the job failed (its error printed; run it again to resume), 2 usage or
 * refused, 130 interrupted (what was stored stays; run it again to resume).
 */
export function backfillCommand(): Command {
  return new Command("backfill")
    .description("fetch the missing bars of a series from a market-data provider (resumable; only missing bars are fetched)")
    .requiredOption("--symbol <symbol>", "instrument ticker, e.g. BTCUSDT")
    .requiredOption("--timeframe <timeframe>", "bar timeframe: 1m, 5m, 15m, 30m, 1h, 4h, 1d")
    .requiredOption("--from <time>", "open time of the first bar, ISO-8601 (e.g. 2024-01-01T00:00Z or 2024-01-01)")
    .option("--to <time>", "open time of the last bar (default: the newest bar closed by now)")
    .requiredOption("--provider <name>", "binance, or twelvedata (with CANDELA_TWELVE_DATA_API_KEY)")
    .option("--calendar <calendar>", "trading calendar of a new instrument (default: the provider's for the symbol)")
    .action(async (options: BackfillOptions) => {
      process.exitCode = await backfill(options);
    });
}

async function backfill(options: BackfillOptions): Promise<number> {
  const timeframe = parseTimeframe(options.timeframe);
  const from = parseInstant("--from", options.from);
  const to = options.to === undefined ? floorToGrid(Date.now(), timeframe) - timeframeDurationMs(timeframe) : parseInstant("--to", options.to);
  const calendar = options.calendar === undefined ? undefined : parseCalendar(options.calendar);
  return withDatabase(async (database, config) => {
    const stores = createStoreAdapters(database);
    const caches = config.REDIS_URL === undefined ? undefined : await createCacheAdapters({ redisUrl: config.REDIS_URL });
    const { providers, breakers } = createProviders(providerSettingsOf(config));
    const ingest = new LiveIngestService(stores.liveBars, createMemoryEventBus(), (symbol) => caches?.queryCache.invalidateSeries(symbol) ?? Promise.resolve());
    const service = new BackfillService({ providers, jobs: stores.backfillJobs, confirmedGaps: stores.confirmedGaps, leases: stores.leases, reader: stores.reader, ingest });
    const progress = process.stderr.isTTY ? new SingleBar({ format: "backfilling [{bar}] {value}/{total} missing bars", clearOnComplete: true }, Presets.shades_classic) : undefined;
    const interruption = new AbortController();
    const interrupt = () => interruption.abort();
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      let started = false;
      const job = await service.run(
        { symbol: options.symbol.trim().toUpperCase(), timeframe, provider: options.provider, from, to },
        {
          calendar,
          signal: interruption.signal,
          onProgress: (state) => {
            if (!started) progress?.start(Math.max(1, state.missingBars), 0);
            started = true;
            progress?.update(Math.min(state.barsFetched + state.confirmedMissingBars, Math.max(1, state.missingBars)));
          },
        },
      );
      progress?.stop();
      printJob(job);
      return job.status === BackfillStatus.SUCCEEDED ? 0 : job.status === BackfillStatus.INTERRUPTED ? 130 : 1;
    } finally {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      progress?.stop();
      for (const breaker of breakers) breaker.shutdown();
      await caches?.close();
      await stores.close();
    }
  });
}

function printJob(job: BackfillJob): void {
  const time = (epochMs: number | null) => (epochMs === null ? "-" : new Date(epochMs).toISOString());
  const lines = [
    `${job.symbol} ${timeframeLabel(job.timeframe)} from ${job.provider}: ${job.status}${job.error === null ? "" : ` (${job.error})`}`,
    `  job              ${job.id}`,
    `  range            ${time(job.from)} .. ${time(job.to)}`,
    `  missing bars     ${job.missingBars}`,
    `  fetched          ${job.barsFetched}`,
    `  stored           ${job.barsStored}`,
    `  confirmed gaps   ${job.confirmedMissingBars} bars the provider has none of either`,
  ];
  if (job.status !== BackfillStatus.SUCCEEDED) lines.push("  Run the same command again to resume: only what is still missing is fetched.");
  console.log(lines.join("\n"));
}
