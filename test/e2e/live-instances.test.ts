import { spawnSync } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { Pool } from "pg";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries } from "../support/market-data";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { type FeatureUpdateEvent as Update, historicalValues, LIVE_FEATURE_REGISTRATIONS, LIVE_FEATURES, streamedValues } from "../support/live-parity";
import { subscribe } from "../support/subscription-client";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const SERIES = loadSeries("BTCUSDT-1h.csv");
/** Rows imported as history before the live bars. */
const HISTORY = 600;
const FEATURES = LIVE_FEATURES;
const REGISTRATIONS = LIVE_FEATURE_REGISTRATIONS;
const UPDATES = `subscription($features: [String!]!) {
  featureUpdates(symbols: ["BTCUSDT"], timeframe: H1, features: $features) { openTime final revision values { feature value } } }`;
const INGEST = `mutation($bars: [BarInput!]!) { ingestBars(symbol: "BTCUSDT", timeframe: H1, bars: $bars) { inserted duplicates } }`;


const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();
const barInput = (row: number) => ({ openTime: iso(row), open: SERIES.open[row], high: SERIES.high[row], low: SERIES.low[row], close: SERIES.close[row], volume: SERIES.volume[row] });
const csvLines = (first: number, last: number) => {
  const lines = ["ts,open,high,low,close,volume"];
  for (let row = first; row <= last; row++) lines.push([iso(row), SERIES.open[row], SERIES.high[row], SERIES.low[row], SERIES.close[row], SERIES.volume[row]].join(","));
  return lines.join("\n");
};

/** Starts the built server on a free port and returns it with its base URL (http://host:port). */
async function serve(environment: Record<string, string>): Promise<{ server: ServerProcess; url: string }> {
  const server = startServerProcess({
    PORT: "0",
    DATABASE_URL: testDatabaseUrl(),
    CANDELA_LOAD_SAMPLES: "false",
    CANDELA_ALLOW_ANONYMOUS_READS: "true",
    CANDELA_INGEST_CLAIM_IDLE_SECONDS: "2",
    LOG_LEVEL: "info",
    ...environment,
  });
  await server.waitForOutput(/Candela is serving GraphQL/, 30_000);
  const url = /"url":"(http:[^"]+)\/graphql"/.exec(server.output())![1];
  return { server, url };
}

/**
 * Several server instances over one PostgreSQL, as two processes of the built server: what is ingested through one
 * reaches the subscribers of the other with the historical values, the Redis Stream is applied exactly once by the
 * instances together (also when a consumer dies with entries pending), and a CLI import reaches every server's
 * answers at once, with and without Redis.
 */
describe("two server instances", () => {
  const folder = temporaryFolder();
  let pool: Pool;
  let adminKey: string;

  const historical = (url: string, first: number, last: number) => historicalValues(`${url}/graphql`, iso(first), iso(last), FEATURES);
  const streamed = streamedValues;
  const barCount = async () => Number((await pool.query("SELECT count(*) FROM bar WHERE timeframe = '1h'")).rows[0].count);

  /** How many 1h bars the server at `url` answers from row `first` on (a cacheable query). */
  const barsFrom = async (url: string, first: number) => {
    const response = await postGraphQL<any>(`${url}/graphql`, `query($from: DateTimeISO!) { bars(symbol: "BTCUSDT", timeframe: H1, from: $from, first: 500) { nodes { openTime } } }`, {
      from: iso(first),
    });
    expect(response.errors).toBeUndefined();
    return response.data.bars.nodes.length as number;
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    await pool.query("DELETE FROM api_key WHERE name = 'e2e-live-instances'");
    await importCsvFile(postgresBarImportStore(pool), { file: folder.write("history.csv", csvLines(0, HISTORY - 1)), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    const created = spawnSync(process.execPath, ["dist/src/cli/candela.js", "keys", "create", "--name", "e2e-live-instances", "--scopes", "admin"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
      encoding: "utf8",
    });
    adminKey = created.stdout.trim();
  });

  afterAll(async () => {
    await emptyStore(pool);
    await pool.query("DELETE FROM api_key WHERE name = 'e2e-live-instances'");
    await pool.end();
    folder.cleanup();
  });

  describe("with Redis", () => {
    let redis: DedicatedRedis;
    let producer: Redis;
    let a: { server: ServerProcess; url: string };
    let b: { server: ServerProcess; url: string };

    beforeAll(async () => {
      redis = await startDedicatedRedis(6470);
      producer = new Redis(redis.url);
      a = await serve({ REDIS_URL: redis.url });
      b = await serve({ REDIS_URL: redis.url });
      for (const input of REGISTRATIONS) {
        const response = await postGraphQL(`${a.url}/graphql`, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: adminKey });
        expect(response.errors).toBeUndefined();
      }
    }, 120_000);

    afterAll(async () => {
      await a?.server.stop();
      await b?.server.stop();
      producer?.disconnect();
      await redis?.stop();
    });

    it("streams to a subscriber of B what is ingested through A, equal to the historical values", async () => {
      const updates = await subscribe<Update>(b.url, UPDATES, { features: FEATURES });
      // The first event, the current values, says the subscription is live: bars committed from then on each get one.
      await updates.waitFor(1);
      try {
        for (let row = HISTORY; row < HISTORY + 20; row++) {
          const response = await postGraphQL<any>(`${a.url}/graphql`, INGEST, { bars: [barInput(row)] }, { apiKey: adminKey });
          expect(response.data?.ingestBars).toEqual({ inserted: 1, duplicates: 0 });
        }
        await eventually(() => streamed(updates).has(iso(HISTORY + 19)), 20_000, "the last bar's values on B");
        const values = streamed(updates);
        for (const [openTime, expected] of await historical(a.url, HISTORY, HISTORY + 19)) expect([openTime, values.get(openTime)]).toEqual([openTime, expected]);
      } finally {
        await updates.close();
      }
    });

    it("applies each stream entry exactly once with both instances consuming, also entries a crashed consumer left pending", async () => {
      const before = await barCount();
      // A consumer that reads entries and dies before acknowledging them: they stay pending at it.
      const crashed = new Redis(redis.url);
      for (let row = HISTORY + 20; row < HISTORY + 30; row++) {
        const bar = barInput(row);
        await producer.xadd("candela:ingest", "*", "symbol", "BTCUSDT", "timeframe", "1h", "openTime", bar.openTime, "open", String(bar.open), "high", String(bar.high), "low", String(bar.low), "close", String(bar.close), "volume", String(bar.volume));
      }
      await crashed.xreadgroup("GROUP", "candela", "crashed-consumer", "COUNT", "5", "STREAMS", "candela:ingest", ">");
      crashed.disconnect();
      for (let row = HISTORY + 30; row < HISTORY + 60; row++) {
        const bar = barInput(row);
        await producer.xadd("candela:ingest", "*", "symbol", "BTCUSDT", "timeframe", "1h", "openTime", bar.openTime, "open", String(bar.open), "high", String(bar.high), "low", String(bar.low), "close", String(bar.close), "volume", String(bar.volume));
      }
      await eventually(async () => (await barCount()) === before + 40, 30_000, "all 40 stream bars stored");
      // Nothing left pending (the crashed consumer's entries were claimed after 2 s and acknowledged).
      await eventually(async () => Number(((await producer.xpending("candela:ingest", "candela")) as [number])[0]) === 0, 20_000, "no entry pending");
      const rows = await pool.query("SELECT count(*) AS bars, count(DISTINCT open_time) AS times FROM bar WHERE timeframe = '1h'");
      expect(Number(rows.rows[0].bars)).toBe(Number(rows.rows[0].times));
      expect(a.server.output() + b.server.output()).toMatch(/claimed entries left pending by another consumer/);
    });

    it("shows a CLI import in both servers' answers at once", async () => {
      // Both servers answer (and cache) "no bars from there" before the import.
      expect([await barsFrom(a.url, HISTORY + 60), await barsFrom(b.url, HISTORY + 60)]).toEqual([0, 0]);
      const imported = spawnSync(process.execPath, ["dist/src/cli/candela.js", "import", "--file", folder.write("more.csv", csvLines(HISTORY + 60, HISTORY + 79)), "--symbol", "BTCUSDT", "--timeframe", "1h"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
        encoding: "utf8",
      });
      expect(imported.status).toBe(0);
      await eventually(async () => (await barsFrom(a.url, HISTORY + 60)) === 20 && (await barsFrom(b.url, HISTORY + 60)) === 20, 3_000, "both servers see the 20 imported bars");
    });
  });

  describe("without Redis", () => {
    let a: { server: ServerProcess; url: string };
    let b: { server: ServerProcess; url: string };

    beforeAll(async () => {
      a = await serve({});
      b = await serve({});
    }, 120_000);

    afterAll(async () => {
      await a?.server.stop();
      await b?.server.stop();
    });

    it("still streams to a subscriber of B what is ingested through A (PostgreSQL NOTIFY carries the bar changes)", async () => {
      const first = HISTORY + 80;
      const updates = await subscribe<Update>(b.url, UPDATES, { features: FEATURES });
      await updates.waitFor(1);
      try {
        for (let row = first; row < first + 5; row++) {
          const response = await postGraphQL<any>(`${a.url}/graphql`, INGEST, { bars: [barInput(row)] }, { apiKey: adminKey });
          expect(response.data?.ingestBars).toEqual({ inserted: 1, duplicates: 0 });
        }
        await eventually(() => streamed(updates).has(iso(first + 4)), 20_000, "the last bar's values on B");
        const values = streamed(updates);
        for (const [openTime, expected] of await historical(b.url, first, first + 4)) expect([openTime, values.get(openTime)]).toEqual([openTime, expected]);
      } finally {
        await updates.close();
      }
    });

    it("shows a CLI import in both servers' answers at once", async () => {
      expect([await barsFrom(a.url, HISTORY + 85), await barsFrom(b.url, HISTORY + 85)]).toEqual([0, 0]);
      const imported = spawnSync(process.execPath, ["dist/src/cli/candela.js", "import", "--file", folder.write("last.csv", csvLines(HISTORY + 85, HISTORY + 94)), "--symbol", "BTCUSDT", "--timeframe", "1h"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
        encoding: "utf8",
      });
      expect(imported.status).toBe(0);
      await eventually(async () => (await barsFrom(a.url, HISTORY + 85)) === 10 && (await barsFrom(b.url, HISTORY + 85)) === 10, 3_000, "both servers see the 10 imported bars");
    });
  });
});
