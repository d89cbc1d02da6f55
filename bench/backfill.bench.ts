/**
 * Backfill benchmark (issue 8): bars per second a backfill stores from the local fake Binance (the one the tests use,
 * serving real klines over HTTP on loopback) through the live pipeline's ingest path, beside the CSV import of the same
 * bars in the same run, with 5 features registered. Target: the backfill within 2× of the import's time.
 *
 * Input: the 50,000 real bars of BTCUSDT-1m.csv, under fresh symbols each run. Runs in the bench database (see
 * features.bench.ts: DATABASE_URL's server, `candela_bench` unless it names a database). Median of RUNS alternating runs.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { Timeframe } from "../src/domain/timeframe";
import { FeatureRegistryService } from "../src/features/feature-registry.service";
import { BackfillService } from "../src/ingest/backfill.service";
import { importCsvFile } from "../src/ingest/csv-import";
import { LiveIngestService } from "../src/ingest/live-ingest.service";
import { BackfillStatus } from "../src/ingest/ports/backfill-store";
import { createProviders } from "../src/providers/providers";
import { createMemoryEventBus } from "../src/store/memory/memory-event-bus";
import { postgresBarImportStore } from "../src/store/offline/bar-import.session";
import { connectDatabase } from "../src/store/postgres/database";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { createStoreAdapters } from "../src/store/store-adapters";
import { FakeProviders, providerRowsOf } from "../test/support/fake-providers";
import { SOURCE_CSV } from "./data";
import { benchDatabaseUrl, fiveFeatures } from "./bench-setup";

const RUNS = 3;
const FEATURES = fiveFeatures("bf_", "obv");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabaseExists(url);
  const database = connectDatabase(url);
  const fake = await FakeProviders.start();
  try {
    await applyMigrations(database.pool);
    const stores = createStoreAdapters(database);
    const registry = new FeatureRegistryService(stores.featureDefinitions);
    for (const feature of FEATURES) await registry.register({ ...feature, timeframe: null });
    const rows = providerRowsOf(readFileSync(SOURCE_CSV, "utf8"));
    const { providers, breakers } = createProviders({ binance: { restUrl: fake.url, streamUrl: fake.streamUrl }, timeoutMs: 10_000 });
    const ingest = new LiveIngestService(stores.liveBars, createMemoryEventBus(), async () => undefined);
    const backfills = new BackfillService({ providers, jobs: stores.backfillJobs, confirmedGaps: stores.confirmedGaps, leases: stores.leases, reader: stores.reader, ingest });
    const request = { timeframe: Timeframe.M1, provider: "binance", from: rows[0].openTime, to: rows[rows.length - 1].openTime };
    const imports: number[] = [];
    const fills: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const csvSymbol = `BFCSV${run}`;
      const fillSymbol = `BFFILL${run}`;
      fake.setBinanceSeries(fillSymbol, "1m", rows);
      for (const symbol of [csvSymbol, fillSymbol]) await database.pool.query("DELETE FROM instrument WHERE symbol = $1", [symbol]);
      await database.pool.query("DELETE FROM confirmed_gap WHERE symbol = $1", [fillSymbol]);
      let started = process.hrtime.bigint();
      const summary = await importCsvFile(postgresBarImportStore(database.pool), { file: SOURCE_CSV, symbol: csvSymbol, timeframe: Timeframe.M1, skipInvalid: false });
      imports.push(seconds(started));
      if (summary.inserted !== rows.length) throw new Error(`the import stored ${summary.inserted} bars, not ${rows.length}`);
      started = process.hrtime.bigint();
      const job = await backfills.run({ ...request, symbol: fillSymbol });
      fills.push(seconds(started));
      if (job.status !== BackfillStatus.SUCCEEDED || job.barsStored !== rows.length) throw new Error(`the backfill ended ${job.status} with ${job.barsStored} bars stored: ${job.error}`);
    }
    const [importSeconds, fillSeconds] = [median(imports), median(fills)];
    console.log(`\nBackfill: ${rows.length.toLocaleString("en-US")} real 1m bars, ${FEATURES.length} features registered (median of ${RUNS})\n`);
    console.log("| path | time | bars/s | ratio to the import (target <= 2x) |");
    console.log("|---|---:|---:|---:|");
    console.log(`| CSV import (floor) | ${importSeconds.toFixed(2)} s | ${Math.round(rows.length / importSeconds).toLocaleString("en-US")} | 1.0x |`);
    console.log(`| backfill from the fake Binance (50 pages over HTTP, live ingest path) | ${fillSeconds.toFixed(2)} s | ${Math.round(rows.length / fillSeconds).toLocaleString("en-US")} | ${(fillSeconds / importSeconds).toFixed(2)}x |`);
    for (const breaker of breakers) breaker.shutdown();
    await stores.close();
  } finally {
    await fake.close();
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
