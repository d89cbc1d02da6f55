/**
 * `readiness` and `readinessChanged` over real HTTP and WebSocket against the real PostgreSQL: a series ingested up
 * to the newest closed hour goes from WARMING_UP to READY as its history arrives; a series that stopped years ago is
 * CATCHING_UP, with the closed days of its calendar skipped.
 */
import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { parseCalendarPreset } from "../../src/domain/trading-calendar";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { subscribe } from "../support/subscription-client";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const HOUR = 3_600_000;
const READINESS = `query($symbol: String!, $timeframe: Timeframe!, $features: [String!]!) {
  readiness(symbol: $symbol, timeframe: $timeframe, features: $features) {
    status barsBehind newestOpenTime lagMs
    features { feature reference status requiredWarmupBars availableWarmupBars gaps { missingBars } skippedClosures { date reason } } } }`;

interface Readiness {
  status: string;
  barsBehind: number;
  features: { status: string; requiredWarmupBars: number | null; availableWarmupBars: number; skippedClosures: { date: string }[] }[];
}

/** `count` hourly bars of a gentle random walk, the newest opening at `newestOpenTime`. */
function hourlyBars(newestOpenTime: number, count: number, firstIndex = 0) {
  return Array.from({ length: count }, (_, index) => {
    const close = 100 + Math.sin((firstIndex + index) / 7) * 5;
    return { openTime: new Date(newestOpenTime - (count - 1 - index) * HOUR).toISOString(), open: close, high: close + 1, low: close - 1, close, volume: 10 };
  });
}

describe("readiness over HTTP and WebSocket", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const newestClosedHour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;

  const readiness = async (symbol: string, timeframe: string, features: string[]) => {
    const response = await postGraphQL<{ readiness: Readiness }>(graphqlUrl, READINESS, { symbol, timeframe, features });
    expect(response.errors).toBeUndefined();
    return response.data!.readiness;
  };
  const ingest = async (bars: object[]) => {
    const response = await postGraphQL(graphqlUrl, `mutation($bars: [BarInput!]!) { ingestBars(symbol: "LIVEX", timeframe: H1, bars: $bars) { inserted } }`, { bars }, { apiKey: server.adminKey });
    expect(response.errors).toBeUndefined();
  };

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    const registered = await postGraphQL(graphqlUrl, `mutation { registerFeature(input: { name: "rsi_14", indicator: "rsi" }) { created } }`, {}, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
  });
  afterAll(() => server.close());

  it("follows a live series from WARMING_UP to READY as its history is ingested", async () => {
    await ingest(hourlyBars(newestClosedHour, 10, 400));
    const warming = await readiness("LIVEX", "H1", ["rsi_14"]);
    expect(warming).toMatchObject({ status: "WARMING_UP", barsBehind: 0 });
    expect(warming.features[0]).toMatchObject({ status: "WARMING_UP", availableWarmupBars: 9 });
    expect(warming.features[0].requiredWarmupBars).toBeGreaterThan(300);

    const transitions = await subscribe<{ readinessChanged: Readiness }>(
      server.url,
      `subscription { readinessChanged(symbol: "LIVEX", timeframe: H1, features: ["rsi_14"]) { status features { status } } }`,
    );
    try {
      await transitions.waitFor(1);
      expect(transitions.received[0].readinessChanged.status).toBe("WARMING_UP");
      await ingest(hourlyBars(newestClosedHour - 10 * HOUR, 400));
      await eventually(() => transitions.received.length >= 2, 20_000, "the transition to READY");
      expect(transitions.received[1].readinessChanged).toEqual({ status: "READY", features: [{ status: "READY" }] });
      expect(await readiness("LIVEX", "H1", ["rsi_14"])).toMatchObject({ status: "READY", barsBehind: 0 });
    } finally {
      await transitions.close();
    }
  });

  it("says CATCHING_UP for a series that stopped, skipping the closed days of its calendar (SPY, NYSE)", async () => {
    await importCsvFile(postgresBarImportStore(server.database.pool), {
      file: path.join(SHARED_DATA_DIR, "SPY-1d.csv"),
      symbol: "SPY",
      timeframe: Timeframe.D1,
      calendar: parseCalendarPreset("nyse"),
      skipInvalid: false,
    });
    const spy = await readiness("SPY", "D1", ["rsi_14"]);
    expect(spy.status).toBe("CATCHING_UP");
    expect(spy.barsBehind).toBeGreaterThan(1_500); // trading days since 2020-08-28, weekends and holidays not counted
    expect(spy.features[0].skippedClosures.map((closure) => closure.date)).toEqual(expect.arrayContaining(["2019-11-28", "2019-12-25"]));
  });

  it("answers NO_DATA for an instrument without bars at the timeframe, NOT_FOUND for an unknown symbol", async () => {
    expect((await readiness("LIVEX", "M1", ["rsi_14"])).status).toBe("NO_DATA"); // stored at 1h: nothing finer to read
    const unknown = await postGraphQL(graphqlUrl, READINESS, { symbol: "NOPE", timeframe: "H1", features: ["rsi_14"] });
    expect(unknown.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});
