import { readFileSync } from "node:fs";
import path from "node:path";
import { Scope } from "../../src/access/api-key";
import { Timeframe } from "../../src/domain/timeframe";
import { BackfillService } from "../../src/ingest/backfill.service";
import { LiveIngestService } from "../../src/ingest/live-ingest.service";
import { BackfillStatus } from "../../src/ingest/ports/backfill-store";
import { createProviders } from "../../src/providers/providers";
import { createMemoryEventBus } from "../../src/store/memory/memory-event-bus";
import { connectDatabase, type Database } from "../../src/store/postgres/database";
import { createStoreAdapters, type StoreAdapters } from "../../src/store/store-adapters";
import { binanceDumpRows, FakeProviders, providerRowsOf, type ProviderRow } from "../support/fake-providers";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const read = (file: string) => readFileSync(path.join(SHARED_DATA_DIR, file), "utf8");
const MARCH = binanceDumpRows(read("binance-raw/BTCUSDT-1h-2023-03.csv"));
const MINUTES = providerRowsOf(read("BTCUSDT-1m.csv")).slice(0, 2_500);
const OUTAGE_HOUR = Date.parse("2023-03-24T13:00:00Z");
const iso = (epochMs: number) => new Date(epochMs).toISOString();

const BACKFILL = `mutation($symbol: String!, $timeframe: Timeframe!, $from: DateTimeISO!, $to: DateTimeISO!, $provider: String!) {
  backfill(symbol: $symbol, timeframe: $timeframe, from: $from, to: $to, provider: $provider) { id status } }`;
const JOB = `query($id: ID!) { backfillJob(id: $id) { id symbol status missingBars barsFetched barsStored confirmedMissingBars reachedOpenTime error finishedAt } }`;

/**
 * Backfill end to end over the real PostgreSQL: the `backfill` mutation against the fake Binance (real 2023-03 klines
 * with the 2023-03-24 outage), its job and progress, confirmed gaps in readiness, a second run fetching nothing, a run
 * interrupted and resumed leaving the same rows as an uninterrupted one, a provider's invalid bar failing the job with
 * nothing of its page written, and one backfill per series at a time.
 */
describe("backfill", () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ingestKey: string;
  let readKey: string;
  let database: Database;
  let stores: StoreAdapters;

  const graphql = (query: string, variables: Record<string, unknown>, apiKey = ingestKey) => postGraphQL<any>(`${server.url}/graphql`, query, variables, { apiKey });
  const storedRows = async (symbol: string, timeframe: string) =>
    (
      await database.pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
        `SELECT (extract(epoch from open_time) * 1000)::float8 AS t, open, high, low, close, volume FROM bar WHERE symbol = $1 AND timeframe = $2 ORDER BY open_time`,
        [symbol, timeframe],
      )
    ).rows.map((row) => ({ openTime: row.t, open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume }));
  const asBars = (rows: readonly ProviderRow[]) => rows.map((row) => ({ openTime: row.openTime, open: Number(row.open), high: Number(row.high), low: Number(row.low), close: Number(row.close), volume: Number(row.volume) }));
  const providerSettings = () => ({ binance: { restUrl: fake.url, streamUrl: fake.streamUrl }, timeoutMs: 2_000, initialDelayMs: 1 });

  /** A backfill service over the real stores, as the CLI builds it. */
  const service = () => {
    const ingest = new LiveIngestService(stores.liveBars, createMemoryEventBus(), async () => undefined);
    return new BackfillService({ providers: createProviders(providerSettings()).providers, jobs: stores.backfillJobs, confirmedGaps: stores.confirmedGaps, leases: stores.leases, reader: stores.reader, ingest });
  };

  /** Starts a backfill through GraphQL and waits for its job to end. */
  async function backfillOverGraphQL(symbol: string, timeframe: string, rows: readonly ProviderRow[]) {
    const started = await graphql(BACKFILL, { symbol, timeframe, from: iso(rows[0].openTime), to: iso(rows[rows.length - 1].openTime), provider: "binance" });
    expect(started.errors).toBeUndefined();
    expect(started.data.backfill.status).toBe("RUNNING");
    let job: any;
    await eventually(async () => {
      job = (await graphql(JOB, { id: started.data.backfill.id }, readKey)).data.backfillJob;
      return job.status !== "RUNNING";
    }, 20_000, "the backfill job to end");
    return job;
  }

  beforeAll(async () => {
    fake = await FakeProviders.start();
    fake.setBinanceSeries("BTCUSDT", "1h", MARCH);
    fake.setBinanceSeries("BTCUSDT", "1m", MINUTES);
    fake.setBinanceSeries("ETHUSDT", "1m", MINUTES);
    database = connectDatabase(testDatabaseUrl());
    await emptyStore(database.pool);
    stores = createStoreAdapters(database);
    server = await startTestServer({ allowAnonymousReads: false, providers: providerSettings() });
    ingestKey = (await server.apiKeys.create("backfill feeder", [Scope.INGEST])).key;
    readKey = (await server.apiKeys.create("backfill reader", [Scope.READ])).key;
  });
  afterAll(async () => {
    await server.close();
    await stores.close();
    await database.close();
    await fake.close();
  });

  it("stores a month of Binance klines through the mutation, confirms the outage hour, and reports the job", async () => {
    const job = await backfillOverGraphQL("BTCUSDT", "H1", MARCH);
    expect(job).toMatchObject({ symbol: "BTCUSDT", status: "SUCCEEDED", missingBars: 744, barsFetched: 743, barsStored: 743, confirmedMissingBars: 1, error: null });
    expect(job.reachedOpenTime).toBe(iso(MARCH[MARCH.length - 1].openTime));
    expect(await storedRows("BTCUSDT", "1h")).toEqual(asBars(MARCH));
    const listed = await graphql(`{ backfillJobs(symbol: "BTCUSDT") { id status } marketDataProviders }`, {}, readKey);
    expect(listed.data).toEqual({ backfillJobs: [{ id: job.id, status: "SUCCEEDED" }], marketDataProviders: ["binance"] });
  });

  it("reports the confirmed outage hour in readiness without GAP_DETECTED", async () => {
    await graphql(`mutation { registerFeature(input: { name: "obv_all", indicator: "obv" }) { created } }`, {}, server.adminKey);
    const response = await graphql(
      `{ readiness(symbol: "BTCUSDT", timeframe: H1, features: ["obv_all"]) { status features { status gaps { missingBars } confirmedGaps { firstMissingOpenTime missingBars } } } }`,
      {},
      readKey,
    );
    expect(response.errors).toBeUndefined();
    const [feature] = response.data.readiness.features;
    expect(feature.gaps).toEqual([]);
    expect(feature.confirmedGaps).toEqual([{ firstMissingOpenTime: iso(OUTAGE_HOUR), missingBars: 1 }]);
    // The month is years old: the series is behind, not broken.
    expect(feature.status).toBe("CATCHING_UP");
  });

  it("fetches nothing when run again: every slot is stored or confirmed missing", async () => {
    fake.requests.length = 0;
    const job = await backfillOverGraphQL("BTCUSDT", "H1", MARCH);
    expect(job).toMatchObject({ status: "SUCCEEDED", missingBars: 0, barsFetched: 0, barsStored: 0 });
    expect(fake.requests).toEqual([]);
  });

  it("refuses bad requests with errors the caller can act on", async () => {
    const forbidden = await graphql(BACKFILL, { symbol: "BTCUSDT", timeframe: "H1", from: iso(MARCH[0].openTime), to: iso(MARCH[1].openTime), provider: "binance" }, readKey);
    expect(forbidden.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const unknown = await graphql(BACKFILL, { symbol: "BTCUSDT", timeframe: "H1", from: iso(MARCH[0].openTime), to: iso(MARCH[1].openTime), provider: "kraken" });
    expect(unknown.errors?.[0]).toMatchObject({ message: expect.stringContaining("Use one of: binance"), extensions: { code: "BAD_USER_INPUT" } });
    const reversed = await graphql(BACKFILL, { symbol: "BTCUSDT", timeframe: "H1", from: iso(MARCH[5].openTime), to: iso(MARCH[1].openTime), provider: "binance" });
    expect(reversed.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const offGrid = await graphql(BACKFILL, { symbol: "BTCUSDT", timeframe: "H1", from: "2023-03-01T00:30:00Z", to: iso(MARCH[1].openTime), provider: "binance" });
    expect(offGrid.errors?.[0]).toMatchObject({ message: expect.stringContaining("grid"), extensions: { code: "BAD_USER_INPUT" } });
    const missing = await graphql(JOB, { id: "00000000-0000-4000-8000-000000000000" }, readKey);
    expect(missing.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("resumes an interrupted backfill and leaves the same rows as an uninterrupted one", async () => {
    const backfills = service();
    const request = { symbol: "BTCUSDT", timeframe: Timeframe.M1, provider: "binance", from: MINUTES[0].openTime, to: MINUTES[MINUTES.length - 1].openTime };
    const interruption = new AbortController();
    const interrupted = await backfills.run(request, { signal: interruption.signal, onProgress: (progress) => progress.barsFetched >= 1_000 && interruption.abort() });
    expect(interrupted).toMatchObject({ status: BackfillStatus.INTERRUPTED, barsFetched: 1_000 });
    expect(await storedRows("BTCUSDT", "1m")).toHaveLength(1_000);
    const resumed = await backfills.run(request);
    expect(resumed).toMatchObject({ status: BackfillStatus.SUCCEEDED, missingBars: 1_500, barsFetched: 1_500, confirmedMissingBars: 0 });
    const whole = await backfills.run({ ...request, symbol: "ETHUSDT" });
    expect(whole).toMatchObject({ status: BackfillStatus.SUCCEEDED, barsFetched: 2_500 });
    expect(await storedRows("BTCUSDT", "1m")).toEqual(await storedRows("ETHUSDT", "1m"));
    expect(await storedRows("BTCUSDT", "1m")).toEqual(asBars(MINUTES));
  });

  it("fails the job on a provider's invalid bar and writes nothing of its page", async () => {
    const rows = MINUTES.slice(0, 10).map((row, index) => (index === 7 ? { ...row, high: "1", low: "2" } : row));
    fake.setBinanceSeries("BADUSDT", "1m", rows);
    const job = await service().run({ symbol: "BADUSDT", timeframe: Timeframe.M1, provider: "binance", from: rows[0].openTime, to: rows[9].openTime });
    expect(job.status).toBe(BackfillStatus.FAILED);
    expect(job.error).toMatch(/binance sent an invalid bar .*Bar 7 of 10/);
    expect(await storedRows("BADUSDT", "1m")).toEqual([]);
  });

  it("lets one backfill of a series run at a time; the second finds nothing left to fetch", async () => {
    await database.pool.query("DELETE FROM bar WHERE symbol = 'ETHUSDT'");
    fake.requests.length = 0;
    const request = { symbol: "ETHUSDT", timeframe: Timeframe.M1, provider: "binance", from: MINUTES[0].openTime, to: MINUTES[MINUTES.length - 1].openTime };
    const [first, second] = await Promise.all([service().run(request), service().run(request)]);
    expect([first.barsFetched, second.barsFetched].sort()).toEqual([0, 2_500]);
    expect(fake.requests).toHaveLength(3);
  });
});
