/**
 * Live benchmark (issue 12), against the built server in its own process and clients in another, over loopback:
 * - latency from `ingestBars` returning to each of 100 and of 1,000 graphql-ws subscribers receiving the bar's
 *   `featureUpdates`, p50 and p99, beside the floor measured in the same run: a plain `ws` server broadcasting a
 *   payload of the same size to the same number of clients (targets: p99 under 10 ms at 100, within 2× the floor);
 * - sustained ingest throughput for 100 series with 5 registered features each (all live), through `ingestBars` in
 *   batches and through the Redis Stream, until every series' newest values are computed, beside the floor: plain
 *   multi-row INSERTs of the same bars with the same batch size and concurrency (targets: 5,000 bars per second,
 *   within 3× the floor).
 * Uses PostgreSQL at DATABASE_URL's server in the database `candela_bench_live` (created and emptied) and a
 * redis-server it starts on port 6499.
 */
import "reflect-metadata";
import { fork, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { Pool } from "pg";
import { WebSocketServer } from "ws";
import { Scope } from "../src/access/api-key";
import { ApiKeyService } from "../src/access/api-key.service";
import { barAt, type Bar, type BarColumns } from "../src/domain/bar";
import { Timeframe } from "../src/domain/timeframe";
import { FeatureRegistryService } from "../src/features/feature-registry.service";
import { importBars } from "../src/ingest/bar-importer";
import { PROJECT_ROOT as ROOT } from "../src/platform/project-root";
import { postgresBarImportStore } from "../src/store/offline/bar-import.session";
import { connectDatabase } from "../src/store/postgres/database";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { createStoreAdapters } from "../src/store/store-adapters";
import { readCsvColumns, SOURCE_CSV } from "./data";
import { benchDatabaseUrl, fiveFeatures } from "./bench-setup";

const PORT = 4_881;
const FLOOR_PORT = 4_882;
const REDIS_PORT = 6_499;
const FEATURES = fiveFeatures("", "atr");
const NAMES = FEATURES.map((feature) => feature.name);
/** Bars of history before the live ones (every feature warmed up). */
const HISTORY = 1_000;
/** Bars ingested one at a time for the latency figures, per subscriber count. */
const LATENCY_BARS = 40;
const SERIES = 100;
/** New bars per series for each throughput path, and the batch size and concurrency of the requests. */
const BARS_PER_SERIES = 100;
const BATCH = 20;
const CONCURRENCY = 10;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

const iso = (openTime: number) => new Date(openTime).toISOString();
const barInput = (bar: Bar) => ({ openTime: iso(bar.openTime), open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });

async function* rowsOf(bars: Bar[]): AsyncIterable<{ line: number; bar: Bar }> {
  for (let index = 0; index < bars.length; index++) yield { line: index + 2, bar: bars[index] };
}

/** Runs `work` on `items` with at most `limit` running at once. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function post(query: string, variables: Record<string, unknown>, apiKey?: string): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors !== undefined) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data;
}

/** Starts the clients' process and waits until every connection is open (and subscribed). */
async function startClients(args: string[]): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, "live-subscribers.js"), args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`the clients exited with ${code}`)));
  });
  return child;
}

/** The clients' receive times so far, by message key. */
async function receiveTimes(child: ChildProcess): Promise<Map<string, number[]>> {
  const report = new Promise<{ received: [string, number[]][] }>((resolve) => child.once("message", (message) => resolve(message as { received: [string, number[]][] })));
  child.send("report");
  return new Map((await report).received);
}

async function stopClients(child: ChildProcess): Promise<void> {
  child.send("exit");
  await new Promise((resolve) => child.once("exit", resolve));
}

/** Latencies (ms) from `sentAt` per key to each client's receipt. */
function latencies(sentAt: Map<string, number>, received: Map<string, number[]>, clients: number): { values: number[]; missing: number } {
  const values: number[] = [];
  let missing = 0;
  for (const [key, at] of sentAt) {
    const times = received.get(key) ?? [];
    missing += clients - times.length;
    for (const time of times) values.push(time - at);
  }
  return { values, missing };
}

async function measureSubscribers(clients: number, bars: Bar[], adminKey: string): Promise<{ p50: number; p99: number; missing: number; floorP50: number; floorP99: number }> {
  const query = `subscription { featureUpdates(symbols: ["LIVE"], timeframe: M1, features: ${JSON.stringify(NAMES)}) { openTime values { value } } }`;
  const subscribers = await startClients(["graphql", `ws://127.0.0.1:${PORT}/graphql`, String(clients), query]);
  const returnedAt = new Map<string, number>();
  for (const bar of bars) {
    await post(`mutation($bars: [BarInput!]!) { ingestBars(symbol: "LIVE", timeframe: M1, bars: $bars) { inserted } }`, { bars: [barInput(bar)] }, adminKey);
    returnedAt.set(iso(bar.openTime), now());
    await sleep(clients >= 1_000 ? 150 : 50);
  }
  await sleep(500);
  const live = latencies(returnedAt, await receiveTimes(subscribers), clients);
  await stopClients(subscribers);

  // The floor: the same number of plain WebSocket clients, a payload of the size of one featureUpdates message.
  const sample = JSON.stringify({ id: "00000000-0000-0000-0000-000000000000", type: "next", payload: { data: { featureUpdates: { openTime: iso(bars[0].openTime), values: NAMES.map(() => ({ value: 12345.678901234567 })) } } } });
  const server = new WebSocketServer({ port: FLOOR_PORT, host: "127.0.0.1" });
  const plain = await startClients(["ws", `ws://127.0.0.1:${FLOOR_PORT}`, String(clients)]);
  const sentAt = new Map<string, number>();
  for (let index = 0; index < bars.length; index++) {
    const id = String(index);
    const payload = JSON.stringify({ id, pad: "" });
    const padded = JSON.stringify({ id, pad: "x".repeat(Math.max(0, sample.length - payload.length)) });
    sentAt.set(id, now());
    for (const socket of server.clients) socket.send(padded);
    await sleep(clients >= 1_000 ? 150 : 50);
  }
  await sleep(500);
  const floor = latencies(sentAt, await receiveTimes(plain), clients);
  await stopClients(plain);
  await new Promise((resolve) => server.close(resolve));
  return { p50: percentile(live.values, 0.5), p99: percentile(live.values, 0.99), missing: live.missing, floorP50: percentile(floor.values, 0.5), floorP99: percentile(floor.values, 0.99) };
}

/** Waits until every series' newest live values are those of its bar `openTime`. */
async function waitForNewest(symbols: string[], openTime: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const expected = iso(openTime);
  for (;;) {
    const data = await post(`query($symbols: [String!]!, $features: [String!]!) { latestFeatures(symbols: $symbols, timeframe: M1, features: $features) { openTime } }`, { symbols, features: NAMES });
    if (data.latestFeatures.every((entry: { openTime: string | null }) => entry.openTime === expected)) return;
    if (Date.now() > deadline) throw new Error(`the series did not reach ${expected} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const url = benchDatabaseUrl("candela_bench_live");
  await ensureDatabaseExists(url);
  const database = connectDatabase(url);
  await applyMigrations(database.pool);
  await database.pool.query("TRUNCATE bar, instrument, feature_value_chunk, feature_materialization, feature_definition, feature_stream_checkpoint, api_key CASCADE");

  const source: BarColumns = readCsvColumns(SOURCE_CSV);
  const bar = (row: number): Bar => barAt(source, row);
  const historyOf = (offset: number) => Array.from({ length: HISTORY }, (_, row) => bar(offset + row));
  const symbols = Array.from({ length: SERIES }, (_, index) => `S${String(index).padStart(3, "0")}`);
  console.log(`\nlive: importing ${SERIES + 1} series of ${HISTORY} 1m bars of history...`);
  await importBars(rowsOf(historyOf(0)), await postgresBarImportStore(database.pool).begin("LIVE", Timeframe.M1), { timeframe: Timeframe.M1, skipInvalid: false });
  for (const symbol of symbols) await importBars(rowsOf(historyOf(0)), await postgresBarImportStore(database.pool).begin(symbol, Timeframe.M1), { timeframe: Timeframe.M1, skipInvalid: false });
  const adapters = createStoreAdapters(database);
  const registry = new FeatureRegistryService(adapters.featureDefinitions);
  for (const feature of FEATURES) await registry.register({ ...feature, timeframe: null });
  const adminKey = (await new ApiKeyService(adapters.apiKeys).create("live bench", [Scope.ADMIN])).key;

  const redisServer = spawn("redis-server", ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await sleep(300);
  const server = spawn(process.execPath, ["dist/src/cli/candela.js", "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      PORT: String(PORT),
      CANDELA_LOAD_SAMPLES: "false",
      CANDELA_ALLOW_ANONYMOUS_READS: "true",
      CANDELA_RATE_LIMITS: "false",
      CANDELA_MAX_CONNECTIONS: "10000",
      LOG_LEVEL: "error",
    },
    stdio: "ignore",
  });
  try {
    for (let attempt = 0; attempt < 150 && !(await fetch(`http://127.0.0.1:${PORT}/readyz`).then((response) => response.ok, () => false)); attempt++) await sleep(200);

    console.log("\nsubscriber latency, ingestBars returning → each subscriber's featureUpdates (5 features), over loopback:");
    console.log("\n| subscribers | Candela p50 | Candela p99 | floor p50 | floor p99 | p99 ÷ floor | missing |\n|---:|---:|---:|---:|---:|---:|---:|");
    let next = HISTORY;
    for (const clients of [100, 1_000]) {
      const bars = Array.from({ length: LATENCY_BARS }, () => bar(next++));
      const result = await measureSubscribers(clients, bars, adminKey);
      const ms = (value: number) => value.toFixed(2);
      console.log(`| ${clients} | ${ms(result.p50)} ms | ${ms(result.p99)} ms | ${ms(result.floorP50)} ms | ${ms(result.floorP99)} ms | ${(result.p99 / result.floorP99).toFixed(2)}× | ${result.missing} |`);
    }
    console.log("targets: p99 under 10 ms at 100 subscribers; within 2× the floor at both sizes");

    // Throughput: every series live (a latestFeatures query starts each one's materializer).
    await post(`query($symbols: [String!]!, $features: [String!]!) { latestFeatures(symbols: $symbols, timeframe: M1, features: $features) { symbol } }`, { symbols, features: NAMES });
    const total = SERIES * BARS_PER_SERIES;
    const batches = (first: number) =>
      symbols.flatMap((symbol) => Array.from({ length: BARS_PER_SERIES / BATCH }, (_, index) => ({ symbol, bars: Array.from({ length: BATCH }, (_unused, row) => bar(first + index * BATCH + row)) })));

    let first = HISTORY;
    const viaMutation = batches(first);
    let started = now();
    await inParallel(viaMutation, CONCURRENCY, async ({ symbol, bars }) => {
      await post(`mutation($symbol: String!, $bars: [BarInput!]!) { ingestBars(symbol: $symbol, timeframe: M1, bars: $bars) { inserted } }`, { symbol, bars: bars.map(barInput) }, adminKey);
    });
    await waitForNewest(symbols, bar(first + BARS_PER_SERIES - 1).openTime, 120_000);
    const mutationRate = total / ((now() - started) / 1000);

    first += BARS_PER_SERIES;
    const producer = new Redis(`redis://127.0.0.1:${REDIS_PORT}`);
    started = now();
    const pipeline = producer.pipeline();
    for (const symbol of symbols) {
      for (let row = first; row < first + BARS_PER_SERIES; row++) {
        const next = bar(row);
        pipeline.xadd("candela:ingest", "*", "symbol", symbol, "timeframe", "1m", "openTime", String(next.openTime), "open", String(next.open), "high", String(next.high), "low", String(next.low), "close", String(next.close), "volume", String(next.volume));
      }
    }
    await pipeline.exec();
    await waitForNewest(symbols, bar(first + BARS_PER_SERIES - 1).openTime, 300_000);
    const streamRate = total / ((now() - started) / 1000);
    producer.disconnect();

    // The floor: plain multi-row INSERTs of the same bars, same batch size and concurrency, no feature work.
    const plain = new Pool({ connectionString: url, max: CONCURRENCY });
    await plain.query("CREATE TABLE IF NOT EXISTS bench_floor (symbol text, open_time timestamptz, open double precision, high double precision, low double precision, close double precision, volume double precision)");
    await plain.query("TRUNCATE bench_floor");
    started = now();
    await inParallel(batches(HISTORY), CONCURRENCY, async ({ symbol, bars }) => {
      const values: unknown[] = [];
      const rows = bars.map((row, index) => {
        values.push(symbol, new Date(row.openTime), row.open, row.high, row.low, row.close, row.volume);
        const base = index * 7;
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7})`;
      });
      await plain.query(`INSERT INTO bench_floor VALUES ${rows.join(", ")}`, values);
    });
    const floorRate = total / ((now() - started) / 1000);
    await plain.query("DROP TABLE bench_floor");
    await plain.end();

    console.log(`\ningest throughput, ${SERIES} live series × ${FEATURES.length} features, ${total.toLocaleString("en")} bars per path (batches of ${BATCH}, ${CONCURRENCY} at a time), until every series' newest values are computed:`);
    console.log("\n| path | bars per second | ÷ floor |\n|:---|---:|---:|");
    console.log(`| plain multi-row INSERT (floor) | ${floorRate.toFixed(0)} | 1.00× |`);
    console.log(`| ingestBars | ${mutationRate.toFixed(0)} | ${(floorRate / mutationRate).toFixed(2)}× slower |`);
    console.log(`| Redis Stream | ${streamRate.toFixed(0)} | ${(floorRate / streamRate).toFixed(2)}× slower |`);
    console.log("targets: at least 5,000 bars per second, within 3× the floor\n");
  } finally {
    server.kill("SIGINT");
    await new Promise((resolve) => server.once("exit", resolve));
    redisServer.kill("SIGKILL");
    await adapters.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
