import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { resolveParameters } from "../../src/indicators/parameters";
import { getIndicator } from "../../src/indicators/registry";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";

const LATEST = `{ latestFeatures(symbols: ["BTCUSDT", "ETHUSDT", "NOPE"], timeframe: H1, features: ["rsi_14", "ema_20"]) {
  symbol openTime closeTime values { feature reference value } } }`;
const FEATURES = `{ features(symbol: "ETHUSDT", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["rsi_14"]) {
  openTimes features { values } } }`;

/** The value of `id` (default parameters overridden by `given`) at the last row, over the whole series. */
function lastValue(file: string, id: string, given: Record<string, number>): number {
  const series = loadSeries(file);
  const indicator = getIndicator(id);
  const column = indicator.computeBatch(resolveParameters(indicator, given), series)[0];
  return column[column.length - 1];
}

describe("online store and Redis outages, with a dedicated redis-server, over HTTP", () => {
  let redis: DedicatedRedis;
  let server: TestServer;
  let graphqlUrl: string;

  beforeAll(async () => {
    redis = await startDedicatedRedis(6420);
    server = await startTestServer({ redisUrl: redis.url });
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    for (const [file, symbol] of [["BTCUSDT-1h.csv", "BTCUSDT"], ["ETHUSDT-1h.csv", "ETHUSDT"]]) {
      await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, file), symbol, timeframe: Timeframe.H1, skipInvalid: false });
    }
    for (const input of [`{ name: "rsi_14", indicator: "rsi" }`, `{ name: "ema_20", indicator: "ema", parameters: [{ name: "period", value: 20 }] }`]) {
      const response = await postGraphQL(graphqlUrl, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: server.adminKey });
      expect(response.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it("returns the newest closed bar's features for many symbols, equal to the full-history values", async () => {
    const response: any = await postGraphQL(graphqlUrl, LATEST);
    expect(response.errors).toBeUndefined();
    const [btc, eth, nope] = response.data.latestFeatures;
    expect(nope).toEqual({
      symbol: "NOPE",
      openTime: null,
      closeTime: null,
      values: [
        { feature: "rsi_14", reference: "rsi_14@1", value: null },
        { feature: "ema_20", reference: "ema_20@1", value: null },
      ],
    }); // no instrument: said so, never left out
    expect(btc).toMatchObject({ symbol: "BTCUSDT", openTime: "2025-05-05T23:00:00.000Z", closeTime: "2025-05-06T00:00:00.000Z" });
    expect(eth).toMatchObject({ symbol: "ETHUSDT", openTime: "2025-04-30T18:00:00.000Z" });
    expect(btc.values).toEqual([
      { feature: "rsi_14", reference: "rsi_14@1", value: lastValue("BTCUSDT-1h.csv", "rsi", {}) },
      { feature: "ema_20", reference: "ema_20@1", value: lastValue("BTCUSDT-1h.csv", "ema", { period: 20 }) },
    ]);
    const again: any = await postGraphQL(graphqlUrl, LATEST);
    expect(again.data).toEqual(response.data);
  });

  it("keeps answering from PostgreSQL, the process cache and the live materializer while Redis is down, and recovers when it returns", async () => {
    const before: any = await postGraphQL(graphqlUrl, FEATURES);
    expect(before.errors).toBeUndefined();
    const latestBefore: any = await postGraphQL(graphqlUrl, LATEST);
    await redis.stop();

    const whileDown: any = await postGraphQL(graphqlUrl, FEATURES);
    expect(whileDown.errors).toBeUndefined();
    expect(whileDown.data).toEqual(before.data);
    const other: any = await postGraphQL(graphqlUrl, FEATURES.replace("2024-01-02", "2024-01-03"));
    expect(other.errors).toBeUndefined();
    expect(other.data.features.openTimes).toHaveLength(49);

    // latestFeatures keeps answering, with the values this instance's live materializer holds in memory.
    const latest: any = await postGraphQL(graphqlUrl, LATEST);
    expect(latest.errors).toBeUndefined();
    expect(latest.data.latestFeatures.map((entry: any) => entry.values)).toEqual(latestBefore.data.latestFeatures.map((entry: any) => entry.values));

    const health: any = await postGraphQL(graphqlUrl, `{ health { ready dependencies { name healthy } } }`);
    expect(health.data.health.dependencies.find((dependency: any) => dependency.name === "database").healthy).toBe(true);

    await redis.start();
    await eventually(async () => (await postGraphQL<any>(graphqlUrl, LATEST)).errors === undefined, 20_000, "latestFeatures recovers");
    await eventually(async () => (await postGraphQL<any>(graphqlUrl, `{ health { ready } }`)).data!.health.ready === true, 20_000, "health recovers");
  });
});
