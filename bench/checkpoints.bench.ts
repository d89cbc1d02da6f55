/**
 * Restart benchmark (issue 8, restart without re-warming): the time a restarted instance needs until 100 live series
 * serve their 5 features again, resuming from checkpoints of their streaming state and replaying their stored
 * history instead, at two history lengths, in the same run. The target: with checkpoints at least 10× faster, and
 * about the same time whatever the history's length.
 *
 * What is timed is the production path of a restart: a new LiveMaterializer over the real PostgreSQL adapters
 * activating every series (reading the revision, the checkpoint, the bars after it, writing the online store), all
 * series at once as concurrent clients would ask for them. The offline store is materialized beforehand, so neither
 * variant writes feature values. Runs in the bench database (see features.bench.ts: DATABASE_URL's server,
 * `candela_bench` unless it names a database).
 *
 * Input: the first rows of BTCUSDT-1m.csv (real bars), stored under 100 symbols.
 */
import "reflect-metadata";
import { Timeframe } from "../src/domain/timeframe";
import { ALWAYS_OPEN } from "../src/domain/trading-calendar";
import type { FeatureDefinition } from "../src/features/feature-definition";
import { FeatureRegistryService } from "../src/features/feature-registry.service";
import { LiveMaterializer } from "../src/features/live/live-materializer";
import { StateOrigin } from "../src/features/live/live-series";
import { createMemoryEventBus } from "../src/store/memory/memory-event-bus";
import { MemoryOnlineFeatureStore } from "../src/store/memory/memory-online-store";
import { connectDatabase, type Database } from "../src/store/postgres/database";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { createStoreAdapters, type StoreAdapters } from "../src/store/store-adapters";
import { readCsvColumns, SOURCE_CSV } from "./data";
import { benchDatabaseUrl, fiveFeatures } from "./bench-setup";

const SERIES = 100;
const HISTORY_LENGTHS = [2_000, 20_000];
const RUNS = 3;
const FEATURES = fiveFeatures("cp_", "obv");

const symbolOf = (length: number, index: number) => `CP${length}_${String(index).padStart(3, "0")}`;

/** Stores the first `length` real 1m bars under each of SERIES symbols (plain SQL: this is setup, not measured). */
async function storeSeries(database: Database, length: number): Promise<void> {
  const source = readCsvColumns(SOURCE_CSV);
  const column = (values: Float64Array) => Array.from(values.subarray(0, length));
  const openTimes = Array.from(source.openTime.subarray(0, length), (openTime) => new Date(openTime).toISOString());
  for (let index = 0; index < SERIES; index++) {
    const symbol = symbolOf(length, index);
    await database.pool.query("DELETE FROM feature_stream_checkpoint WHERE symbol = $1", [symbol]);
    await database.pool.query("DELETE FROM instrument WHERE symbol = $1", [symbol]);
    await database.pool.query("INSERT INTO instrument (symbol) VALUES ($1)", [symbol]);
    await database.pool.query(
      `INSERT INTO bar (symbol, timeframe, open_time, open, high, low, close, volume)
       SELECT $1, '1m', t, o, h, l, c, v FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS u(t, o, h, l, c, v)`,
      [symbol, openTimes, column(source.open), column(source.high), column(source.low), column(source.close), column(source.volume)],
    );
  }
}

/** Activates every series of `length` on a new materializer; returns the milliseconds it took and the origins seen. */
async function restart(stores: StoreAdapters, definitions: readonly FeatureDefinition[], length: number, withCheckpoints: boolean): Promise<{ ms: number; origins: Set<StateOrigin> }> {
  const origins = new Set<StateOrigin>();
  const materializer = new LiveMaterializer({
    reader: stores.reader,
    offlineStore: stores.offlineStore,
    onlineStore: new MemoryOnlineFeatureStore(),
    localEvents: createMemoryEventBus(),
    sharedEvents: createMemoryEventBus(),
    changes: stores.notifications,
    checkpoints: withCheckpoints ? stores.checkpoints : undefined,
    observer: { stateBuilt: (origin) => origins.add(origin) },
    clock: Date.now,
  });
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: SERIES }, (_, index) => materializer.activate(symbolOf(length, index), Timeframe.M1, ALWAYS_OPEN, definitions)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (withCheckpoints) await materializer.close(); // checkpoints written at shutdown, as a server does
  else materializer.close().catch(() => undefined);
  return { ms, origins };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabaseExists(url);
  const database = connectDatabase(url);
  try {
    await applyMigrations(database.pool);
    const stores = createStoreAdapters(database);
    const registry = new FeatureRegistryService(stores.featureDefinitions);
    for (const feature of FEATURES) await registry.register({ ...feature, timeframe: null });
    const definitions = await registry.resolve(FEATURES.map((feature) => feature.name));
    console.log(`\nRestart: ${SERIES} live series × ${FEATURES.length} features activated by a new instance (median of ${RUNS})\n`);
    console.log("| bars per series | replaying history | from checkpoints | ratio (target >= 10x) |");
    console.log("|---:|---:|---:|---:|");
    const resumed: number[] = [];
    for (const length of HISTORY_LENGTHS) {
      await storeSeries(database, length);
      await restart(stores, definitions, length, true); // first activation: materializes and checkpoints
      const replays: number[] = [];
      const resumes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const replay = await restart(stores, definitions, length, false);
        const resume = await restart(stores, definitions, length, true);
        if (!replay.origins.has(StateOrigin.HISTORY) || replay.origins.size !== 1) throw new Error("the replay run did not replay history");
        if (!resume.origins.has(StateOrigin.CHECKPOINT) || resume.origins.size !== 1) throw new Error(`the checkpoint run built from ${[...resume.origins].join(", ")}`);
        replays.push(replay.ms);
        resumes.push(resume.ms);
      }
      const [replayMs, resumeMs] = [median(replays), median(resumes)];
      resumed.push(resumeMs);
      console.log(`| ${length.toLocaleString("en-US")} | ${replayMs.toFixed(0)} ms | ${resumeMs.toFixed(0)} ms | ${(replayMs / resumeMs).toFixed(1)}x |`);
    }
    console.log(
      `\nFrom checkpoints, ${HISTORY_LENGTHS[1].toLocaleString("en-US")} bars per series take ${(resumed[1] / resumed[0]).toFixed(2)}x the time of ${HISTORY_LENGTHS[0].toLocaleString("en-US")} (independent of history: about 1x).`,
    );
    await stores.close();
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
