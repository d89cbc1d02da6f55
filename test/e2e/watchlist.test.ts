import { readFileSync } from "node:fs";
import path from "node:path";
import { Pool } from "pg";
import { Scope } from "../../src/access/api-key";
import { FakeProviders, providerRowsOf, type ProviderRow } from "../support/fake-providers";
import { postGraphQL } from "../support/graphql-client";
import { LIVE_FEATURE_REGISTRATIONS, LIVE_FEATURES } from "../support/live-parity";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { startTestServer } from "../support/test-server";

const MINUTE = 60_000;
const FEATURES = LIVE_FEATURES;
const REGISTRATIONS = LIVE_FEATURE_REGISTRATIONS;
const READINESS = `query($features: [String!]!) { readiness(symbol: "BTCUSDT", timeframe: M1, features: $features) { status barsBehind newestOpenTime features { gaps { missingBars } } } }`;
const LATEST = `query($features: [String!]!) { latestFeatures(symbols: ["BTCUSDT"], timeframe: M1, features: $features) { openTime values { value } } }`;
const HISTORICAL = `query($at: DateTimeISO!, $features: [String!]!) { features(symbol: "BTCUSDT", timeframe: M1, from: $at, to: $at, features: $features) { openTimes features { values } } }`;

/**
 * Real BTCUSDT 1m bars (BTCUSDT-1m.csv), re-timed so that the series runs up to now: the fake Binance serves them as
 * klines, and the kline stream pushes each minute as it closes.
 */
function retimedMinutes(now: number): ProviderRow[] {
  const rows = providerRowsOf(readFileSync(path.join(SHARED_DATA_DIR, "BTCUSDT-1m.csv"), "utf8"));
  const start = Math.floor(now / MINUTE) * MINUTE - 5_000 * MINUTE;
  return rows.map((row, index) => ({ ...row, openTime: start + index * MINUTE }));
}

/**
 * The watchlist with two server processes over one PostgreSQL and the fake Binance (REST and kline stream): one of them
 * leads the series (catch-up, feed, repairs); the series reports CATCHING_UP with the bars it lacks while the provider
 * has not published them; a closed bar after a hole is stored, the hole fetched and the state rebuilt and swapped whole;
 * the values then equal the historical ones on both servers; when the leader is killed, the other takes over and
 * catches up what was missed.
 */
describe("watchlist across two server processes", () => {
  const folder = temporaryFolder();
  let fake: FakeProviders;
  let pool: Pool;
  let rows: ProviderRow[];
  let byOpenTime: Map<number, ProviderRow>;
  let a: { server: ServerProcess; url: string };
  let b: { server: ServerProcess; url: string };
  let feeder: NodeJS.Timeout | undefined;
  /** Open time of the first bar the provider has not published when the servers start. */
  let hiddenFrom: number;

  const graphql = (url: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL<any>(`${url}/graphql`, query, variables);
  const readiness = async (url: string) => (await graphql(url, READINESS, { features: FEATURES })).data.readiness;
  const newestClosed = () => Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;

  async function serve(): Promise<{ server: ServerProcess; url: string }> {
    const server = startServerProcess({
      PORT: "0",
      DATABASE_URL: testDatabaseUrl(),
      CANDELA_LOAD_SAMPLES: "false",
      CANDELA_ALLOW_ANONYMOUS_READS: "true",
      CANDELA_WATCHLIST_FILE: folder.write("watchlist.json", JSON.stringify([{ symbol: "BTCUSDT", timeframe: "1m", provider: "binance", features: FEATURES, historyBars: 2_000 }])),
      CANDELA_BINANCE_URL: fake.url,
      CANDELA_BINANCE_STREAM_URL: fake.streamUrl,
      LOG_LEVEL: "info",
    });
    await server.waitForOutput(/Candela is serving GraphQL/, 30_000);
    return { server, url: /"url":"(http:[^"]+)\/graphql"/.exec(server.output())![1] };
  }

  /** Pushes every closed minute after `after` over the kline stream, as Binance does when a minute closes. */
  function feedFrom(after: number): void {
    let pushed = after;
    feeder = setInterval(() => {
      for (let openTime = pushed + MINUTE; openTime <= newestClosed(); openTime += MINUTE) {
        fake.pushKline("BTCUSDT", "1m", byOpenTime.get(openTime)!, true);
        pushed = openTime;
      }
    }, 100);
  }

  /** The newest values `url` serves and the historical values of the same bar, once the series is READY there. */
  async function readyAndEqualToHistory(url: string): Promise<void> {
    await eventually(async () => (await readiness(url)).status === "READY", 30_000, `READY at ${url}`);
    const latest = (await graphql(url, LATEST, { features: FEATURES })).data.latestFeatures[0];
    const historical = (await graphql(url, HISTORICAL, { at: latest.openTime, features: FEATURES })).data.features;
    expect(historical.openTimes).toEqual([latest.openTime]);
    expect(latest.values.map((value: { value: number }) => value.value)).toEqual(historical.features.map((column: { values: number[] }) => column.values[0]));
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    const registrar = await startTestServer();
    const admin = (await registrar.apiKeys.create("watchlist registrar", [Scope.ADMIN])).key;
    for (const input of REGISTRATIONS) {
      const response = await postGraphQL(`${registrar.url}/graphql`, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: admin });
      expect(response.errors).toBeUndefined();
    }
    await registrar.close();
    fake = await FakeProviders.start();
    rows = retimedMinutes(Date.now());
    byOpenTime = new Map(rows.map((row) => [row.openTime, row]));
    // The provider has not published the last three closed minutes yet, nor any later one.
    hiddenFrom = newestClosed() - 2 * MINUTE;
    for (const row of rows) if (row.openTime >= hiddenFrom) fake.unpublished.add(row.openTime);
    fake.setBinanceSeries("BTCUSDT", "1m", rows);
    a = await serve();
    await eventually(() => fake.openStreams === 1, 30_000, "A to lead the series and open its kline stream");
    b = await serve();
  }, 120_000);

  afterAll(async () => {
    clearInterval(feeder);
    await a?.server.stop();
    await b?.server.stop();
    await fake?.close();
    await emptyStore(pool);
    await pool.end();
    folder.cleanup();
  });

  it("catches up what the provider has, and reports CATCHING_UP with the bars still missing", async () => {
    const state = await readiness(b.url);
    expect(state.status).toBe("CATCHING_UP");
    expect(state.barsBehind).toBeGreaterThanOrEqual(3);
    expect(state.newestOpenTime).toBe(new Date(hiddenFrom - MINUTE).toISOString());
    // historyBars (2,000) back from the newest closed minute at catch-up time, less the minutes withheld (three, or more
    // when a minute closed meanwhile), with no hole.
    const stored = await pool.query<{ count: number; first: number }>(
      "SELECT count(*)::int AS count, (extract(epoch from min(open_time)) * 1000)::float8 AS first FROM bar WHERE symbol = 'BTCUSDT' AND timeframe = '1m'",
    );
    const { count, first } = stored.rows[0];
    expect(count).toBeGreaterThanOrEqual(2_000 - 5);
    expect(count).toBeLessThanOrEqual(2_000 - 3);
    expect(first).toBe(hiddenFrom - count * MINUTE);
    // Only the leader follows the stream.
    expect(fake.streamConnections).toHaveLength(1);
  });

  it("stores a bar after a hole, fetches the hole, swaps the repaired state whole, and serves the historical values on both servers", async () => {
    const observed = new Map<string, number[]>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const latest = (await graphql(a.url, LATEST, { features: FEATURES })).data?.latestFeatures[0];
        if (latest?.openTime === new Date(hiddenFrom + 2 * MINUTE).toISOString()) observed.set(JSON.stringify(latest.values), latest.values.map((value: { value: number }) => value.value));
      }
    })();
    // The provider publishes the hidden minutes, but the stream starts after them: the first pushed bar follows a hole.
    fake.unpublished.clear();
    feedFrom(hiddenFrom + MINUTE);
    try {
      await readyAndEqualToHistory(a.url);
    } finally {
      polling = false;
      await poll;
    }
    await readyAndEqualToHistory(b.url);
    expect(a.server.output()).toMatch(/"reason":"repair"[^\n]*"status":"SUCCEEDED"/);
    // Every vector of the bar after the hole was the one computed over the hole or the repaired one, never a mix.
    const vectors = [...observed.values()];
    expect(vectors.length).toBeLessThanOrEqual(2);
    if (vectors.length === 2) vectors[0].forEach((value, feature) => expect(value).not.toBe(vectors[1][feature]));
  });

  it("hands the series to the other server when its leader dies, which catches it up and follows the stream", async () => {
    expect(b.server.output()).not.toMatch(/this server leads the series/);
    await a.server.kill("SIGKILL");
    const connections = fake.streamConnections.length;
    await eventually(() => fake.streamConnections.length > connections && fake.openStreams === 1, 30_000, "B to take the series over");
    expect(b.server.output()).toMatch(/this server leads the series[^]*"reason":"catch-up"[^\n]*"status":"SUCCEEDED"/);
    await readyAndEqualToHistory(b.url);
  });
});
