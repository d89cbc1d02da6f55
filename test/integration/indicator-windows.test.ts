/**
 * Several windows at once over HTTP against the real PostgreSQL: an `indicators` spec with `windows` equals TA-Lib per
 * window, `registerFeatureWindows` registers one feature per window (all or none), and the cost and limits count windows.
 */
import path from "node:path";
import * as talib from "talib";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const REGISTER_WINDOWS = `mutation($input: RegisterFeatureInput!, $windows: [Int!]!) {
  registerFeatureWindows(input: $input, windows: $windows) { created definition { reference parameters { name value } } }
}`;

describe("several windows at once", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const series = loadSeries("BTCUSDT-1h.csv");
  const iso = (row: number) => new Date(series.openTime[row]).toISOString();
  /** TA_SMA over the whole series (its running sum starts at the first bar, as ours), aligned with the rows. */
  const smaOverWholeSeries = (period: number): number[] => [
    ...new Array<number>(period - 1).fill(NaN),
    ...talib.execute({ name: "SMA", startIdx: 0, endIdx: series.length - 1, inReal: Array.from(series.close), optInTimePeriod: period }).result.outReal,
  ];

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it("computes SMA 20, 50 and 200 from one spec, each within 1e-9 of TA_SMA on every row, in the list's order", async () => {
    const [fromRow, toRow] = [5_000, 7_000];
    const response: any = await postGraphQL(
      graphqlUrl,
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${iso(fromRow)}", to: "${iso(toRow)}", specs: [{ indicator: "sma", windows: [20, 50, 200] }, { indicator: "rsi" }]) {
        results { indicator label parameters { name value } outputs { name values } historySufficient }
      } }`,
    );
    expect(response.errors).toBeUndefined();
    const { results } = response.data.indicators;
    expect(results.map((result: any) => result.label)).toEqual(["sma(20)", "sma(50)", "sma(200)", "rsi(14)"]);
    for (const result of results.slice(0, 3)) {
      const period = result.parameters[0].value;
      expect(result.historySufficient).toBe(true);
      // The query loads only the warm-up before `from`, so its running sums start later than TA-Lib's: equal within 1e-9.
      const expected = smaOverWholeSeries(period).slice(fromRow, toRow + 1);
      expect(result.outputs[0].values).toHaveLength(expected.length);
      const worst = Math.max(...expected.map((value, row) => Math.abs(result.outputs[0].values[row] - value) / value));
      expect(worst).toBeLessThan(1e-9);
    }
  });

  it("counts each window toward the per-request limit of 20 computations", async () => {
    const windows = Array.from({ length: 20 }, (_, index) => index + 2);
    const response: any = await postGraphQL(
      graphqlUrl,
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${iso(100)}", to: "${iso(110)}", specs: [{ indicator: "sma", windows: [${windows}] }, { indicator: "rsi" }]) { openTimes } }`,
    );
    expect(response.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(response.errors[0].message).toBe("The specs and their windows make 21 computations; at most 20 are allowed per request.");
  });

  it("registers one feature per window, and none when one window is out of bounds", async () => {
    const registered: any = await postGraphQL(graphqlUrl, REGISTER_WINDOWS, { input: { name: "sma_trend", indicator: "sma" }, windows: [20, 50, 200] }, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerFeatureWindows.map((result: any) => [result.created, result.definition.reference, result.definition.parameters[0].value])).toEqual([
      [true, "sma_trend_20@1", 20],
      [true, "sma_trend_50@1", 50],
      [true, "sma_trend_200@1", 200],
    ]);

    const refused: any = await postGraphQL(graphqlUrl, REGISTER_WINDOWS, { input: { name: "ema_trend", indicator: "ema" }, windows: [10, 1] }, { apiKey: server.adminKey });
    expect(refused.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(refused.errors[0].message).toContain('Parameter "period" of indicator "ema" must be between 2 and 100000');
    const listed: any = await postGraphQL(graphqlUrl, `{ featureDefinitions { name } }`, {});
    expect(listed.data.featureDefinitions.map((definition: any) => definition.name).filter((name: string) => name.startsWith("ema_trend"))).toEqual([]);

    const values: any = await postGraphQL(graphqlUrl, `{ features(symbol: "BTCUSDT", timeframe: H1, from: "${iso(300)}", to: "${iso(300)}", features: ["sma_trend_200"]) { features { values } } }`, {});
    expect(values.data.features.features[0].values).toEqual([smaOverWholeSeries(200)[300]]);
  });
});
