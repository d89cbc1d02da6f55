/**
 * Composed features over HTTP against the real PostgreSQL: a feature built on another feature's values (EMA of RSI,
 * z-score of RSI, an EMA of that z-score), checked against TA-Lib chained on TA-Lib's own output and against a two-pass
 * z-score of TA-Lib's RSI; its definition, fingerprint, latest value and the errors of impossible compositions.
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

const SERIES_QUERY = `query($features: [String!]!, $from: DateTimeISO!, $to: DateTimeISO!) {
  features(symbol: "BTCUSDT", timeframe: H1, from: $from, to: $to, features: $features) {
    openTimes features { values feature { reference } }
  }
}`;

const REGISTER = `mutation($input: RegisterFeatureInput!) {
  registerFeature(input: $input) {
    created
    definition { reference fingerprint timeframe input { reference indicator output parameters { name value } input { reference } } }
  }
}`;

/** TA-Lib function `name` over `input` as a column aligned with it (NaN before begIndex). */
function talibOver(name: string, input: number[], period: number): number[] {
  const result = talib.execute({ name, startIdx: 0, endIdx: input.length - 1, inReal: input, optInTimePeriod: period });
  if (result.error) throw new Error(result.error);
  return [...new Array<number>(result.begIndex).fill(NaN), ...result.result.outReal];
}

describe("composed features over HTTP", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const series = loadSeries("BTCUSDT-1h.csv");
  const rsi = talibOver("RSI", Array.from(series.close), 14);
  const rsiStart = rsi.findIndex((value) => !Number.isNaN(value));

  const register = (input: Record<string, unknown>): Promise<any> => postGraphQL(graphqlUrl, REGISTER, { input }, { apiKey: server.adminKey });

  async function columns(features: string[]): Promise<Map<string, (number | null)[]>> {
    const [from, to] = [series.openTime[0], series.openTime[series.length - 1]].map((openTime) => new Date(openTime).toISOString());
    const response: any = await postGraphQL(graphqlUrl, SERIES_QUERY, { features, from, to });
    expect(response.errors).toBeUndefined();
    expect(response.data.features.openTimes).toHaveLength(series.length);
    return new Map(response.data.features.features.map((column: any) => [column.feature.reference, column.values]));
  }

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    for (const input of [
      { name: "rsi_14", indicator: "rsi", parameters: [{ name: "period", value: 14 }] },
      { name: "rsi_14_ema", indicator: "ema", input: "rsi_14", parameters: [{ name: "period", value: 10 }] },
      { name: "rsi_14_zscore", indicator: "zscore", input: "rsi_14", parameters: [{ name: "period", value: 100 }] },
      { name: "rsi_14_zscore_ema", indicator: "ema", input: "rsi_14_zscore@1", parameters: [{ name: "period", value: 5 }], timeframe: "H1" },
    ]) {
      const response = await register(input);
      expect(response.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it("shows the input chain in the definition; the fingerprint covers the chain, not the names", async () => {
    const nested: any = await register({ name: "rsi_14_zscore_ema", indicator: "ema", input: "rsi_14_zscore", parameters: [{ name: "period", value: 5 }], timeframe: "H1" });
    expect(nested.errors).toBeUndefined();
    expect(nested.data.registerFeature.created).toBe(false);
    expect(nested.data.registerFeature.definition.input).toEqual({
      reference: "rsi_14_zscore@1",
      indicator: "zscore",
      output: "value",
      parameters: [{ name: "period", value: 100 }],
      input: { reference: "rsi_14@1" },
    });
    const twin: any = await register({ name: "same_chain", indicator: "zscore", input: "rsi_14", parameters: [{ name: "period", value: 100 }] });
    const original: any = await register({ name: "rsi_14_zscore", indicator: "zscore", input: "rsi_14", parameters: [{ name: "period", value: 100 }] });
    const plain: any = await register({ name: "close_zscore", indicator: "zscore", parameters: [{ name: "period", value: 100 }] });
    expect(twin.data.registerFeature.definition.fingerprint).toBe(original.data.registerFeature.definition.fingerprint);
    expect(plain.data.registerFeature.definition.fingerprint).not.toBe(original.data.registerFeature.definition.fingerprint);
  });

  it("serves the EMA of RSI equal to TA_EMA over TA_RSI, and the z-score of RSI equal to a two-pass z-score of TA-Lib's RSI", async () => {
    const values = await columns(["rsi_14_ema", "rsi_14_zscore"]);
    const emaOfRsi = [...new Array<number>(rsiStart).fill(NaN), ...talibOver("EMA", rsi.slice(rsiStart), 10)];
    expect(values.get("rsi_14_ema@1")).toEqual(emaOfRsi.map((value) => (Number.isNaN(value) ? null : value)));

    const zscores = values.get("rsi_14_zscore@1")!;
    expect(zscores.slice(0, rsiStart + 99).every((value) => value === null)).toBe(true);
    for (let row = rsiStart + 99; row < series.length; row += 101) {
      const window = rsi.slice(row - 99, row + 1);
      const mean = window.reduce((sum, value) => sum + value, 0) / 100;
      const deviation = Math.sqrt(window.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 100);
      expect(Math.abs(zscores[row]! - (rsi[row] - mean) / deviation)).toBeLessThan(1e-9);
    }
  });

  it("serves the latest value of a two-level chain equal to its historical value, scoped to the input's timeframe", async () => {
    const history = (await columns(["rsi_14_zscore_ema"])).get("rsi_14_zscore_ema@1")!;
    const response: any = await postGraphQL(graphqlUrl, `{ latestFeatures(symbols: ["BTCUSDT"], timeframe: H1, features: ["rsi_14_zscore_ema"]) { values { reference value status } } }`, {});
    expect(response.errors).toBeUndefined();
    const [latest] = response.data.latestFeatures[0].values;
    expect(latest.reference).toBe("rsi_14_zscore_ema@1");
    expect(latest.value).toBe(history[history.length - 1]);

    const scoped: any = await register({ name: "scoped_zscore", indicator: "zscore", input: "rsi_14_zscore_ema", timeframe: "D1" });
    expect(scoped.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(scoped.errors[0].message).toContain('"rsi_14_zscore_ema@1" is restricted to 1h');
    const inherited: any = await register({ name: "inherited_zscore", indicator: "zscore", input: "rsi_14_zscore_ema" });
    expect(inherited.data.registerFeature.definition.timeframe).toBe("H1");
  });

  it("refuses an indicator that reads more than the close, and an unknown input, with nothing registered", async () => {
    const atr: any = await register({ name: "atr_of_rsi", indicator: "atr", input: "rsi_14" });
    expect(atr.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(atr.errors[0].message).toContain('Indicator "atr" reads high, low, close: only indicators that read the close alone');
    const unknown: any = await register({ name: "sma_of_nothing", indicator: "sma", input: "no_such_feature" });
    expect(unknown.errors[0].extensions.code).toBe("NOT_FOUND");
    const listed: any = await postGraphQL(graphqlUrl, `{ featureDefinitions { name } }`, {});
    expect(listed.data.featureDefinitions.map((definition: any) => definition.name)).not.toEqual(expect.arrayContaining(["atr_of_rsi", "sma_of_nothing"]));
  });
});
