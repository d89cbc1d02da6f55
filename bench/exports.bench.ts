/**
 * Training-pull benchmark (issue 9): one year of 1m bars (525,600 rows) with 5 features, pulled through the Arrow
 * export (GET /export), `series` JSON (two requests: at most 500,000 bars each) and paged `bars` (5,000 a page, bars
 * only), in bytes and seconds, beside a plain `pg` query of the same bar rows (the floor). Target: the Arrow export
 * within 2× the floor. Then the point-in-time join of 100,000 events (random instants of the year) against the 5
 * features, as Arrow (POST /export/join).
 *
 * Everything runs over real HTTP against the built server (a process of its own) and the bench database (see
 * features.bench.ts). The features are materialized by a first, unmeasured export, so the runs measure reading and
 * encoding, not computing. Input: BTCUSDT-1m.csv continued to a year (bench/data.ts). Median of RUNS.
 */
import "reflect-metadata";
import { Pool } from "pg";
import { tableFromIPC } from "apache-arrow";
import { Timeframe } from "../src/domain/timeframe";
import { FeatureRegistryService } from "../src/features/feature-registry.service";
import { connectDatabase } from "../src/store/postgres/database";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { createStoreAdapters } from "../src/store/store-adapters";
import { benchDatabaseUrl, fiveFeatures } from "./bench-setup";
import { withBuiltServer } from "./bench-server";
import { readCsvColumns, SOURCE_CSV, synthesizeContinuous } from "./data";

const BARS = 525_600;
const EVENTS = 100_000;
const RUNS = 3;
const SYMBOL = "EXPORTYEAR";
const FEATURES = fiveFeatures("ex_", "atr");
const NAMES = FEATURES.map((feature) => feature.name);

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `pull` RUNS times; the median seconds and the bytes of the last run. */
async function measure(pull: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    bytes = await pull();
    times.push(seconds(started));
  }
  return { seconds: median(times), bytes };
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabaseExists(url);
  const database = connectDatabase(url);
  const plain = new Pool({ connectionString: url, max: 1 });
  try {
    await applyMigrations(database.pool);
    const { columns, description } = synthesizeContinuous(readCsvColumns(SOURCE_CSV), BARS);
    await database.pool.query("DELETE FROM instrument WHERE symbol = $1", [SYMBOL]);
    await database.pool.query("INSERT INTO instrument (symbol) VALUES ($1)", [SYMBOL]);
    await database.pool.query(
      `INSERT INTO bar (symbol, timeframe, open_time, open, high, low, close, volume)
       SELECT $1, '1m', to_timestamp(t / 1000.0), o, h, l, c, v FROM unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS u(t, o, h, l, c, v)`,
      [SYMBOL, ...[columns.openTime, columns.open, columns.high, columns.low, columns.close, columns.volume].map((values) => Array.from(values))],
    );
    const stores = createStoreAdapters(database);
    const registry = new FeatureRegistryService(stores.featureDefinitions);
    for (const feature of FEATURES) await registry.register({ ...feature, timeframe: null });
    await stores.close();
    await withBuiltServer(url, 4_873, { CANDELA_QUERY_LIMITS: "false", CANDELA_RATE_LIMITS: "false" }, (base) => pullAll(base, plain, columns, description));
  } finally {
    await plain.end();
    await database.close();
  }
}

/** Measures every path against the server at `base` and prints the table. */
async function pullAll(base: string, plain: Pool, columns: ReturnType<typeof synthesizeContinuous>["columns"], description: string): Promise<void> {
  const from = new Date(columns.openTime[0]).toISOString();
  const middle = new Date(columns.openTime[BARS / 2]).toISOString();
  const beforeMiddle = new Date(columns.openTime[BARS / 2 - 1]).toISOString();
  const to = new Date(columns.openTime[BARS - 1]).toISOString();
  const exportUrl = `${base}/export?symbols=${SYMBOL}&timeframe=1m&from=${from}&to=${to}&features=${NAMES.join(",")}`;
  const bytesOf = async (response: Response) => {
    if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
    return (await response.arrayBuffer()).byteLength;
  };
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    if (text.includes('"errors"')) throw new Error(text.slice(0, 500));
    return { text, bytes: Buffer.byteLength(text) };
  };

  // Materializes the features (and checks the export reads back whole).
  const first = tableFromIPC(new Uint8Array(await (await fetch(exportUrl)).arrayBuffer()));
  if (first.numRows !== BARS) throw new Error(`the export returned ${first.numRows} rows, not ${BARS}`);

  const floor = await measure(async () => {
    const result = await plain.query("SELECT open_time, open, high, low, close, volume FROM bar WHERE symbol = $1 AND timeframe = '1m' ORDER BY open_time", [SYMBOL]);
    return result.rowCount ?? 0;
  });
  const arrow = await measure(async () => bytesOf(await fetch(exportUrl)));
  const csv = await measure(async () => bytesOf(await fetch(`${exportUrl}&format=csv`)));
  const SERIES = `query($from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!) { series(symbol: "${SYMBOL}", timeframe: M1, from: $from, to: $to, features: $features) {
    openTimes open high low close volume features { values } } }`;
  const series = await measure(async () => {
    const halves = [await graphql(SERIES, { from, to: beforeMiddle, features: NAMES }), await graphql(SERIES, { from: middle, to, features: NAMES })];
    return halves[0].bytes + halves[1].bytes;
  });
  const BARS_PAGE = `query($after: String) { bars(symbol: "${SYMBOL}", timeframe: M1, first: 5000, after: $after) { nodes { openTime open high low close volume } pageInfo { hasNextPage endCursor } } }`;
  const paged = await measure(async () => {
    let after: string | null = null;
    let bytes = 0;
    do {
      const page = await graphql(BARS_PAGE, { after });
      bytes += page.bytes;
      const info = JSON.parse(page.text).data.bars.pageInfo as { hasNextPage: boolean; endCursor: string };
      after = info.hasNextPage ? info.endCursor : null;
    } while (after !== null);
    return bytes;
  });
  // Random instants of the year (a fixed generator: the same events every run).
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const span = columns.openTime[BARS - 1] - columns.openTime[0];
  const events = Array.from({ length: EVENTS }, () => ({ symbol: SYMBOL, timestamp: Math.round(columns.openTime[0] + random() * span) }));
  const joinBody = JSON.stringify({ timeframe: "1m", features: NAMES, events, format: "arrow" });
  const join = await measure(async () => bytesOf(await fetch(`${base}/export/join`, { method: "POST", headers: { "content-type": "application/json" }, body: joinBody })));

  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`\nTraining pull: ${BARS.toLocaleString("en-US")} 1m bars × ${FEATURES.length} features, materialized, over HTTP (median of ${RUNS})`);
  console.log(`input: ${description}\n`);
  console.log("| path | time | size | ÷ floor (target: Arrow <= 2x) |");
  console.log("|---|---:|---:|---:|");
  console.log(`| plain pg SELECT of the bar rows (floor) | ${floor.seconds.toFixed(2)} s | - | 1.00x |`);
  console.log(`| GET /export, Arrow IPC, bars + features | ${arrow.seconds.toFixed(2)} s | ${mb(arrow.bytes)} | ${(arrow.seconds / floor.seconds).toFixed(2)}x |`);
  console.log(`| GET /export, CSV, bars + features | ${csv.seconds.toFixed(2)} s | ${mb(csv.bytes)} | ${(csv.seconds / floor.seconds).toFixed(2)}x |`);
  console.log(`| series JSON, 2 requests, bars + features | ${series.seconds.toFixed(2)} s | ${mb(series.bytes)} | ${(series.seconds / floor.seconds).toFixed(2)}x |`);
  console.log(`| bars JSON, pages of 5,000, bars only | ${paged.seconds.toFixed(2)} s | ${mb(paged.bytes)} | ${(paged.seconds / floor.seconds).toFixed(2)}x |`);
  console.log(`\nPoint-in-time join: ${EVENTS.toLocaleString("en-US")} events × ${FEATURES.length} features, Arrow: ${join.seconds.toFixed(2)} s (${mb(join.bytes)})\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
