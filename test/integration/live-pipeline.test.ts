/**
 * The live pipeline end to end over real HTTP, WebSocket (graphql-ws), PostgreSQL and a dedicated redis-server:
 * a real series is replayed bar by bar through `ingestBars` and through the Redis Stream while `featureUpdates` is
 * subscribed, and every streamed value must equal, bit for bit, what one historical `features` query returns for
 * the same bars (train/serve parity). Also: forming bars, late bars and corrections, duplicates, rejections,
 * dead letters, and a server restarted in the middle of the replay.
 */
import { Redis } from "ioredis";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries } from "../support/market-data";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";
import { type FeatureUpdateEvent as Update, historicalValues, streamedValues } from "../support/live-parity";
import { subscribe, type SubscriptionRecorder } from "../support/subscription-client";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const SERIES = loadSeries("BTCUSDT-1h.csv");
/** Rows imported as history before the replay starts. */
const HISTORY = 2_000;
/** Rows ingested one request each through `ingestBars`, then appended to the Redis Stream. */
const BY_MUTATION = 120;
const BY_STREAM = 80;
const FEATURES = ["rsi_14", "ema_20", "macd_hist", "bb_upper", "atr_14", "obv"];
const REGISTRATIONS = [
  `{ name: "rsi_14", indicator: "rsi" }`,
  `{ name: "ema_20", indicator: "ema", parameters: [{ name: "period", value: 20 }] }`,
  `{ name: "macd_hist", indicator: "macd", output: "histogram" }`,
  `{ name: "bb_upper", indicator: "bbands", output: "upper" }`,
  `{ name: "atr_14", indicator: "atr" }`,
  `{ name: "obv", indicator: "obv" }`,
];
const UPDATES = `subscription($features: [String!]!, $forming: Boolean!) {
  featureUpdates(symbols: ["BTCUSDT"], timeframe: H1, features: $features, includeForming: $forming) {
    symbol openTime final revision values { feature reference value } } }`;
const INGEST = `mutation($bars: [BarInput!]!) { ingestBars(symbol: "BTCUSDT", timeframe: H1, bars: $bars) { inserted late corrected duplicates forming revision } }`;


const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();
const barInput = (row: number, closed = true, close = SERIES.close[row]) => ({
  openTime: iso(row),
  open: SERIES.open[row],
  high: Math.max(SERIES.high[row], close),
  low: Math.min(SERIES.low[row], close),
  close,
  volume: SERIES.volume[row],
  closed,
});

describe("the live pipeline over HTTP, WebSocket, PostgreSQL and Redis", () => {
  let redis: DedicatedRedis;
  let producer: Redis;
  let server: TestServer;
  const folder = temporaryFolder();

  const ingest = async (bars: object[]) => {
    const response = await postGraphQL<any>(`${server.url}/graphql`, INGEST, { bars }, { apiKey: server.adminKey });
    expect(response.errors).toBeUndefined();
    return response.data.ingestBars;
  };
  /** The historical values of FEATURES for rows [first, last], as one `features` query returns them, by open time. */
  const historical = (first: number, last: number) => historicalValues(`${server.url}/graphql`, iso(first), iso(last), FEATURES);
  const waitForFinal = (recorder: SubscriptionRecorder<Update>, openTime: string) =>
    eventually(() => recorder.received.some(({ featureUpdates: update }) => update.final && update.openTime === openTime), 20_000, `the values of ${openTime}`);

  beforeAll(async () => {
    redis = await startDedicatedRedis(6440);
    producer = new Redis(redis.url);
    server = await startTestServer({ redisUrl: redis.url });
    await emptyStore(server.database.pool);
    const lines = ["ts,open,high,low,close,volume"];
    for (let row = 0; row < HISTORY; row++) lines.push([iso(row), SERIES.open[row], SERIES.high[row], SERIES.low[row], SERIES.close[row], SERIES.volume[row]].join(","));
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: folder.write("history.csv", lines.join("\n")), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    for (const input of REGISTRATIONS) {
      const response = await postGraphQL(`${server.url}/graphql`, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: server.adminKey });
      expect(response.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    await server?.close();
    producer?.disconnect();
    await redis?.stop();
    folder.cleanup();
  });

  it("streams, for bars ingested one at a time through ingestBars, exactly the values a historical query returns", async () => {
    const updates = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    // The first event, the current values, says the subscription is live: bars committed from then on each get one.
    await updates.waitFor(1);
    try {
      for (let row = HISTORY; row < HISTORY + BY_MUTATION; row++) {
        expect(await ingest([barInput(row)])).toMatchObject({ inserted: 1, late: 0, corrected: 0, duplicates: 0 });
      }
      await waitForFinal(updates, iso(HISTORY + BY_MUTATION - 1));
      const expected = await historical(HISTORY, HISTORY + BY_MUTATION - 1);
      const streamed = streamedValues(updates);
      for (const [openTime, values] of expected) expect([openTime, streamed.get(openTime)]).toEqual([openTime, values]);
      expect(updates.received.map(({ featureUpdates: update }) => update.values.map((value) => value.feature))[0]).toEqual(FEATURES);
    } finally {
      await updates.close();
    }
  });

  it("sends a subscription to an already live series its current values first, once", async () => {
    const first = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    const second = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    try {
      const [current] = await second.waitFor(1);
      const [seen] = await first.waitFor(1);
      expect(current.featureUpdates).toEqual(seen.featureUpdates);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second.received).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("exports feature freshness, materialized values and database pool usage", async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    // The replayed series are years old: their newest vector's age is large and positive.
    expect(Number(/candela_online_vector_age_seconds\{timeframe="1h"\} (\S+)/.exec(text)?.[1])).toBeGreaterThan(86_400);
    expect(Number(/candela_feature_values_materialized_total (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/candela_db_pool_connections\{pool="queries",state="total"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/candela_db_pool_connections\{pool="locks",state="waiting"\} \d+/);
  });

  it("does the same for bars appended to the Redis Stream, and dead-letters a malformed entry without writing it", async () => {
    const updates = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    try {
      const first = HISTORY + BY_MUTATION;
      await producer.xadd("candela:ingest", "*", "symbol", "BTCUSDT", "timeframe", "1h", "openTime", iso(first), "open", "1", "high", "0.5", "low", "1", "close", "1", "volume", "1");
      for (let row = first; row < first + BY_STREAM; row++) {
        const bar = barInput(row);
        await producer.xadd("candela:ingest", "*", "symbol", "BTCUSDT", "timeframe", "1h", "openTime", String(SERIES.openTime[row]), "open", String(bar.open), "high", String(bar.high), "low", String(bar.low), "close", String(bar.close), "volume", String(bar.volume));
      }
      await waitForFinal(updates, iso(first + BY_STREAM - 1));
      const expected = await historical(first, first + BY_STREAM - 1);
      const streamed = streamedValues(updates);
      for (const [openTime, values] of expected) expect([openTime, streamed.get(openTime)]).toEqual([openTime, values]);

      const dead = await producer.xrange("candela:ingest:dead", "-", "+");
      expect(dead).toHaveLength(1);
      expect(dead[0][1]).toEqual(expect.arrayContaining(["reason", "high 0.5 is below low 1"]));
      const pending = (await producer.xpending("candela:ingest", "candela")) as [number, ...unknown[]];
      expect(pending[0]).toBe(0); // every entry acknowledged
    } finally {
      await updates.close();
    }
  });

  it("publishes a forming bar's values (final: false) without storing it; the closed bar then gives the same values", async () => {
    const updates = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: true });
    try {
      const row = HISTORY + BY_MUTATION + BY_STREAM;
      expect(await ingest([barInput(row, false)])).toMatchObject({ inserted: 0, forming: 1, revision: null });
      await eventually(() => updates.received.some(({ featureUpdates: update }) => !update.final && update.openTime === iso(row)), 20_000, "the forming values");
      const stored = await server.database.pool.query("SELECT count(*)::int AS n FROM bar WHERE symbol = 'BTCUSDT' AND open_time = $1", [iso(row)]);
      expect(stored.rows[0].n).toBe(0);
      const forming = updates.received.find(({ featureUpdates: update }) => !update.final)!.featureUpdates.values;
      await ingest([barInput(row)]);
      await waitForFinal(updates, iso(row));
      expect(streamedValues(updates).get(iso(row))).toEqual(forming.map((value) => value.value));
    } finally {
      await updates.close();
    }
  });

  it("stores a late correction, recomputes from it and republishes the newest values with a higher revision", async () => {
    const newest = HISTORY + BY_MUTATION + BY_STREAM;
    const updates = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    try {
      const before = (await ingest([barInput(newest)])).revision as number;
      const valuesBefore = (await historical(newest, newest)).get(iso(newest));
      const corrected = await ingest([barInput(newest - 5, true, SERIES.close[newest - 5] * 1.01)]);
      expect(corrected).toMatchObject({ inserted: 0, corrected: 1, late: 0, revision: before + 1 });
      await eventually(() => updates.received.some(({ featureUpdates: update }) => update.revision === before + 1 && update.openTime === iso(newest)), 20_000, "the republished values");
      const republished = updates.received.find(({ featureUpdates: update }) => update.revision === before + 1)!.featureUpdates;
      const valuesAfter = (await historical(newest, newest)).get(iso(newest));
      expect(republished.values.map((value) => value.value)).toEqual(valuesAfter);
      expect(valuesAfter).not.toEqual(valuesBefore);
    } finally {
      await updates.close();
    }
  });

  it("treats a duplicate as a no-op and rejects an invalid bar with BAD_USER_INPUT, writing nothing", async () => {
    const newest = HISTORY + BY_MUTATION + BY_STREAM;
    const count = async () => (await server.database.pool.query("SELECT count(*)::int AS n FROM bar WHERE symbol = 'BTCUSDT'")).rows[0].n as number;
    const before = await count();
    expect(await ingest([barInput(newest)])).toMatchObject({ inserted: 0, duplicates: 1, corrected: 0 });
    const bad = { ...barInput(newest + 1), high: 1, low: 2 };
    const response = await postGraphQL<any>(`${server.url}/graphql`, INGEST, { bars: [barInput(newest + 2), bad] }, { apiKey: server.adminKey });
    expect(response.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.errors?.[0].message).toMatch(/^Bar 1 of 2 \(1h\) is invalid: high 1 is below low 2\. Nothing was written\.$/);
    expect(await count()).toBe(before);
  });

  it("keeps parity when the server is stopped and a new one started in the middle of the replay", async () => {
    const first = HISTORY + BY_MUTATION + BY_STREAM + 1;
    for (let row = first; row < first + 10; row++) await ingest([barInput(row)]);
    await server.close();
    server = await startTestServer({ redisUrl: redis.url });
    const updates = await subscribe<Update>(server.url, UPDATES, { features: FEATURES, forming: false });
    try {
      for (let row = first + 10; row < first + 20; row++) await ingest([barInput(row)]);
      await waitForFinal(updates, iso(first + 19));
      const expected = await historical(first + 10, first + 19);
      const streamed = streamedValues(updates);
      for (const [openTime, values] of expected) expect([openTime, streamed.get(openTime)]).toEqual([openTime, values]);
      const latest = await postGraphQL<any>(`${server.url}/graphql`, `{ latestFeatures(symbols: ["BTCUSDT"], timeframe: H1, features: ${JSON.stringify(FEATURES)}) { openTime values { value status } } }`);
      expect(latest.data.latestFeatures[0].openTime).toBe(iso(first + 19));
      expect(latest.data.latestFeatures[0].values.map((value: any) => value.value)).toEqual(expected.get(iso(first + 19)));
    } finally {
      await updates.close();
    }
  });

  it("applies the HTTP query limits to subscriptions: too many tokens is QUERY_TOO_COMPLEX before anything runs", async () => {
    const symbols = Array.from({ length: 1_100 }, (_, index) => `S${index}`); // over 1,000 tokens
    const refused = await subscribe(server.url, `subscription { featureUpdates(symbols: ${JSON.stringify(symbols)}, timeframe: H1, features: ["rsi_14"]) { openTime } }`);
    try {
      await eventually(() => refused.errors.length > 0, 10_000, "the refusal");
      expect(refused.errors[0]).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" } });
      expect(refused.received).toEqual([]);
    } finally {
      await refused.close();
    }
  });

  it("refuses a subscription with a wrong key by closing the socket with 4401", async () => {
    const closed = await subscribe(server.url, UPDATES, { features: FEATURES, forming: false }, { authorization: "Bearer cdl_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(closed).toMatchObject({ code: 4401 });
  });
});
