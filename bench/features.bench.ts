/**
 * `features` benchmark (issue 3): five features over 100,000 1m bars, cold (nothing materialized),
 * materialized (read from the offline store) and cached (the query cache), beside the floor: a plain `pg`
 * SELECT of the same bars; then `latestFeatures` latency under a fixed-rate load (hey when installed, else
 * autocannon: bench/load-generator.ts) against the built server in its own process, over loopback, with the
 * query limits on and off (CANDELA_QUERY_LIMITS) in the same run. Runs against PostgreSQL at DATABASE_URL's
 * server (default postgresql://postgres@127.0.0.1:5432) in the database DATABASE_URL names, or `candela_bench`
 * when it names none (or `postgres`), which it creates and fills.
 *
 * Input: BTCUSDT-1m.csv (50,000 real bars) twice, the second copy rescaled to start at the first copy's
 * last close (bench/data.ts), imported through the real import pipeline.
 */
import "reflect-metadata";
import { Pool } from "pg";
import { barAt, type Bar } from "../src/domain/bar";
import { Timeframe } from "../src/domain/timeframe";
import { FeatureRegistryService } from "../src/features/feature-registry.service";
import { FeatureRetrievalService } from "../src/features/feature-retrieval.service";
import { importBars } from "../src/ingest/bar-importer";
import { createStoreAdapters } from "../src/store/store-adapters";
import { postgresBarImportStore } from "../src/store/offline/bar-import.session";
import { connectDatabase } from "../src/store/postgres/database";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { QueryResultCache } from "../src/features/query-result-cache";
import { createCacheAdapters } from "../src/store/cache-adapters";
import { readCsvColumns, SOURCE_CSV, synthesizeContinuous } from "./data";
import { heyAvailable, runLoad, warmUp } from "./load-generator";
import { benchDatabaseUrl, fiveFeatures } from "./bench-setup";
import { withBuiltServer } from "./bench-server";

const BAR_COUNT = 100_000;
const RUNS = 5;
const SYMBOL = "BENCH";
const FEATURES = fiveFeatures("", "atr");

async function median(runs: number, prepare: () => Promise<void>, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    await prepare();
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

async function* rowsOf(bars: Bar[]): AsyncIterable<{ line: number; bar: Bar }> {
  for (let index = 0; index < bars.length; index++) yield { line: index + 2, bar: bars[index] };
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabaseExists(url);
  const database = connectDatabase(url);
  await applyMigrations(database.pool);
  await database.pool.query("TRUNCATE bar, instrument, feature_value_chunk, feature_materialization, feature_definition CASCADE");

  const { columns, description } = synthesizeContinuous(readCsvColumns(SOURCE_CSV), BAR_COUNT);
  const bars: Bar[] = Array.from({ length: columns.length }, (_, row) => barAt(columns, row));
  const importStarted = Date.now();
  await importBars(rowsOf(bars), await postgresBarImportStore(database.pool).begin(SYMBOL, Timeframe.M1), { timeframe: Timeframe.M1, skipInvalid: false });
  const importMs = Date.now() - importStarted;

  const adapters = createStoreAdapters(database);
  const registry = new FeatureRegistryService(adapters.featureDefinitions);
  for (const feature of FEATURES) await registry.register({ ...feature, timeframe: null });
  const retrieval = new FeatureRetrievalService(registry, adapters.reader, adapters.offlineStore);
  const query = {
    symbol: SYMBOL,
    timeframe: Timeframe.M1,
    from: columns.openTime[0],
    to: columns.openTime[BAR_COUNT - 1],
    features: FEATURES.map((feature) => feature.name),
    maxBars: BAR_COUNT,
  };

  const plain = new Pool({ connectionString: url, max: 1 });
  const selectMs = await median(RUNS, async () => undefined, () =>
    plain.query("SELECT open_time, open, high, low, close, volume FROM bar WHERE symbol = $1 AND timeframe = '1m' ORDER BY open_time", [SYMBOL]),
  );
  const forget = async () => {
    await adapters.drain();
    await database.pool.query("TRUNCATE feature_value_chunk, feature_materialization");
  };
  const coldMs = await median(RUNS, forget, () => retrieval.retrieve(query));
  const storeStarted = process.hrtime.bigint();
  await adapters.drain();
  const storeMs = Number(process.hrtime.bigint() - storeStarted) / 1e6;
  const materializedMs = await median(RUNS, () => adapters.drain(), () => retrieval.retrieve(query));
  const caches = await createCacheAdapters({});
  const resultCache = new QueryResultCache(caches.queryCache);
  const cachedQuery = () => resultCache.through("features", query, SYMBOL, Timeframe.M1, async () => ({ ...(await retrieval.retrieve(query)), stale: false }));
  await cachedQuery();
  const cachedMs = await median(RUNS, async () => undefined, cachedQuery);

  const rows = [
    ["plain pg SELECT of the bars (floor)", selectMs],
    ["features cold (compute, answer; storing continues after)", coldMs],
    ["features materialized (offline store)", materializedMs],
    ["features cached (query cache, process tier)", cachedMs],
  ] as const;
  console.log(`\nfeatures: ${FEATURES.length} features × ${BAR_COUNT.toLocaleString("en")} 1m bars, median of ${RUNS} runs`);
  console.log(`input: ${description}; import of the bars took ${importMs} ms`);
  console.log("\n| path | ms | ÷ plain SELECT |\n|:---|---:|---:|");
  for (const [label, ms] of rows) console.log(`| ${label} | ${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} | ${(ms / selectMs).toFixed(2)}× |`);
  console.log(`\nwriting the cold run's values to the offline store after answering: ${storeMs.toFixed(0)} ms`);
  console.log("targets: cold within 3× of the plain SELECT; cached under 10 ms (service level, before JSON encoding)\n");
  await benchLatestFeatures(url);

  await plain.end();
  await caches.close();
  await adapters.close();
  await database.close();
}

/**
 * Measures `latestFeatures` for 10 symbols × 5 features at a fixed 1,000 requests per second for 10 s
 * (bench/load-generator.ts), over loopback, against the built server (dist/) on the bench database, started
 * once with the query limits on and once with them off; then the `{ __typename }` floor.
 */
async function benchLatestFeatures(url: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  const symbols = Array.from({ length: 10 }, (_, index) => `BENCH${index}`);
  // Ten more instruments sharing the last 300 bars of the bench series (enough for every feature's warm-up).
  for (const symbol of symbols) {
    await pool.query(
      `INSERT INTO instrument (symbol) VALUES ($1) ON CONFLICT DO NOTHING;`,
      [symbol],
    );
    await pool.query(
      `INSERT INTO bar SELECT $1, timeframe, open_time, open, high, low, close, volume FROM bar
       WHERE symbol = $2 AND open_time >= (SELECT max(open_time) FROM bar WHERE symbol = $2) - interval '300 minutes'
       ON CONFLICT DO NOTHING`,
      [symbol, SYMBOL],
    );
  }
  // As autovacuum would on a live database (index-only scans need the visibility map of the new rows); done
  // now, for every table the runs above filled and truncated, so that autovacuum does not run during the load.
  await pool.query("VACUUM ANALYZE");
  await pool.end();
  const body = JSON.stringify({
    query: `{ latestFeatures(symbols: ${JSON.stringify(symbols)}, timeframe: M1, features: ${JSON.stringify(FEATURES.map((feature) => feature.name))}) { symbol openTime values { feature value } } }`,
  });
  const floor = JSON.stringify({ query: "{ __typename }" });
  console.log("| query at a fixed 1,000 req/s for 10 s, 20 connections | load generator | requests/s reached | p50 | p99 | max | failed |\n|:---|:---|---:|---:|---:|---:|---:|");
  const measure = async (graphqlUrl: string, label: string, load: string) => {
    await warmUp(graphqlUrl, load, 2_000); // for latestFeatures, also fills the online store
    const result = await runLoad({ url: graphqlUrl, body: load, rate: 1_000, connections: 20, seconds: 10 });
    const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
    console.log(`| ${label} | ${result.generator} | ${result.requestsPerSecond.toFixed(0)} | ${ms(result.p50)} | ${ms(result.p99)} | ${ms(result.max)} | ${result.failures} |`);
    return result.p99;
  };
  // Alternating rounds, so that a noisy minute on the machine does not fall on one setting only.
  const p99 = { on: [] as number[], off: [] as number[] };
  for (const [round, limits] of (["on", "off", "on", "off"] as const).entries()) {
    // "on": the query limits and the rate limiter both run (the budget raised so the load is never refused).
    const environment: Record<string, string> =
      limits === "on"
        ? { CANDELA_QUERY_LIMITS: "true", CANDELA_RATE_LIMITS: "true", CANDELA_RATE_LIMIT_PER_ADDRESS: "1000000" }
        : { CANDELA_QUERY_LIMITS: "false", CANDELA_RATE_LIMITS: "false" };
    await withBuiltServer(url, 4_871, environment, async (baseUrl) => {
      const graphqlUrl = `${baseUrl}/graphql`;
      p99[limits].push(await measure(graphqlUrl, `latestFeatures (10 symbols × 5 features), query and rate limits ${limits}`, body));
      if (round === 3) await measure(graphqlUrl, "`{ __typename }` (floor: HTTP, Apollo, no resolver), query limits off", floor);
    });
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  if (!heyAvailable()) console.log("(`hey` is not installed: autocannon measured, which adds latency of its own; `apt-get install hey` for the lower-noise figures)");
  console.log(`query and rate limits on vs off: latestFeatures mean p99 ${mean(p99.on).toFixed(1)} vs ${mean(p99.off).toFixed(1)} ms, ${((mean(p99.on) / mean(p99.off) - 1) * 100).toFixed(0)}% (target: within 10%)`);
  console.log("target: latestFeatures p99 under 5 ms at 1,000 requests per second\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
