import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { resolveParameters } from "../../src/indicators/parameters";
import { getIndicator } from "../../src/indicators/registry";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { contextOf } from "../support/series-contexts";
import { mismatchesAgainstTalib } from "../support/talib-reference";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";

const FEATURES = [
  { name: "rsi_14", indicator: "rsi", parameters: [{ name: "period", value: 14 }] },
  { name: "macd_hist", indicator: "macd", output: "histogram" },
  { name: "atr_14", indicator: "atr" },
  { name: "bb_upper", indicator: "bbands", output: "upper", timeframe: "H1" },
  { name: "obv", indicator: "obv" },
];
const NAMES = FEATURES.map((feature) => feature.name);

const FEATURES_QUERY = `query($from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!, $asOf: DateTimeISO) {
  features(symbol: "BTCUSDT", timeframe: H1, from: $from, to: $to, features: $features, asOf: $asOf) {
    asOf featureSetFingerprint openTimes
    features { source materializedValues values feature { name version reference fingerprint indicator output parameters { name value } } }
  }
}`;

describe("feature store over HTTP against the real PostgreSQL", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const series = loadSeries("BTCUSDT-1h.csv");
  const iso = (row: number) => new Date(series.openTime[row]).toISOString();
  const files = temporaryFolder();

  /** `features` with the query cache emptied first, so each call exercises the offline store paths. */
  async function query(fromRow: number, toRow: number, names = NAMES, asOf?: string): Promise<any> {
    const emptied: any = await postGraphQL(graphqlUrl, `mutation { invalidateCache(pattern: "*") { dropped } }`, {}, { apiKey: server.adminKey });
    expect(emptied.errors).toBeUndefined();
    const response: any = await postGraphQL(graphqlUrl, FEATURES_QUERY, { from: iso(fromRow), to: iso(toRow), features: names, asOf });
    expect(response.errors).toBeUndefined();
    return response.data.features;
  }

  async function register(input: Record<string, unknown>): Promise<any> {
    return postGraphQL(
      graphqlUrl,
      `mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { created definition { name version reference fingerprint parameters { name value } } } }`,
      { input },
      { apiKey: server.adminKey },
    );
  }

  /** Our canonical value: the indicator over every stored bar up to the row (computed here in batch). */
  function fullHistory(feature: any): Float64Array {
    const indicator = getIndicator(feature.indicator);
    const parameters = resolveParameters(indicator, Object.fromEntries(feature.parameters.map((p: any) => [p.name, p.value])));
    return indicator.computeBatch(parameters, series)[indicator.outputs.findIndex((output) => output.name === feature.output)];
  }

  function expectIdenticalToFullHistory(frame: any, fromRow: number): void {
    for (const column of frame.features) {
      const expected = Array.from(fullHistory(column.feature).subarray(fromRow, fromRow + column.values.length), (value) => (Number.isNaN(value) ? null : value));
      expect({ feature: column.feature.name, values: column.values }).toEqual({ feature: column.feature.name, values: expected });
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    for (const feature of FEATURES) {
      const response = await register(feature);
      expect(response.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await server.close();
    files.cleanup();
  });

  it("returns the existing definition when the same one is registered again, and a new version when it changes", async () => {
    const again: any = await register({ name: "rsi_14", indicator: "rsi" });
    expect(again.data.registerFeature).toMatchObject({ created: false, definition: { reference: "rsi_14@1" } });
    const changed: any = await register({ name: "rsi_probe", indicator: "rsi", parameters: [{ name: "period", value: 14 }] });
    const changedAgain: any = await register({ name: "rsi_probe", indicator: "rsi", parameters: [{ name: "period", value: 21 }] });
    expect(changed.data.registerFeature).toMatchObject({ created: true, definition: { version: 1 } });
    expect(changedAgain.data.registerFeature).toMatchObject({ created: true, definition: { version: 2, parameters: [{ name: "period", value: 21 }] } });
    expect(changedAgain.data.registerFeature.definition.fingerprint).not.toBe(changed.data.registerFeature.definition.fingerprint);
    // Same computation under another name: same fingerprint.
    expect(changed.data.registerFeature.definition.fingerprint).toBe(again.data.registerFeature.definition.fingerprint);

    const firstVersion = await query(5_000, 5_100, ["rsi_probe@1"]);
    expect((await register({ name: "rsi_probe", indicator: "rsi", parameters: [{ name: "period", value: 7 }] })).data.registerFeature.definition.version).toBe(3);
    const firstVersionAgain = await query(5_000, 5_100, ["rsi_probe@1"]);
    expect(firstVersionAgain.features[0]).toEqual({ ...firstVersion.features[0], source: "MATERIALIZED", materializedValues: 101 });
    expect((await query(5_000, 5_100, ["rsi_probe"])).features[0].feature.reference).toBe("rsi_probe@3");
  });

  it("gives identical values whether the range is not stored, fully stored or partly stored, equal to TA-Lib within 1e-9", async () => {
    const cold = await query(10_000, 12_000);
    expect(cold.features.map((column: any) => column.source)).toEqual(Array(5).fill("COMPUTED"));
    expect(cold.openTimes).toHaveLength(2_001);
    expectIdenticalToFullHistory(cold, 10_000);

    const stored = await query(10_000, 12_000);
    expect(stored.features.map((column: any) => column.source)).toEqual(Array(5).fill("MATERIALIZED"));
    expect(stored.features).toEqual(cold.features.map((column: any) => ({ ...column, source: "MATERIALIZED", materializedValues: 2_001 })));

    const partly = await query(11_000, 14_000);
    expect(partly.features.map((column: any) => column.source)).toEqual(Array(5).fill("PARTLY_MATERIALIZED"));
    // Bars 11_000..12_000 were stored by the first query; 12_001..14_000 are computed now.
    expect(partly.features.map((column: any) => column.materializedValues)).toEqual(Array(5).fill(1_001));
    expectIdenticalToFullHistory(partly, 11_000);
    for (const column of partly.features.filter((candidate: any) => candidate.feature.indicator !== "obv")) {
      const parameters = Object.fromEntries(column.feature.parameters.map((p: any) => [p.name, p.value]));
      const [comparison] = mismatchesAgainstTalib(column.feature.indicator, parameters, series, contextOf("BTCUSDT-1h.csv"), 11_000, [{ name: column.feature.output, values: column.values }]);
      expect(comparison.mismatched).toBe(0);
    }
    const overlap = (await query(11_000, 14_000)).features;
    expect(overlap.map((column: any) => column.source)).toEqual(Array(5).fill("MATERIALIZED"));
  });

  it("answers point in time: nothing whose close time is after asOf appears", async () => {
    // Bar 2_500 closes at openTime[2_501]; one millisecond earlier only bars through 2_499 have closed.
    const asOf = new Date(series.openTime[2_501] - 1).toISOString();
    const frame = await query(2_000, 3_000, NAMES, asOf);
    expect(frame.asOf).toBe(asOf);
    expect(frame.openTimes[frame.openTimes.length - 1]).toBe(iso(2_499));
    expect(frame.openTimes).toHaveLength(500);
    expectIdenticalToFullHistory(frame, 2_000);
  });

  it("keeps the fingerprint of a feature set independent of the order of names", async () => {
    const forward = await query(100, 110);
    const backward = await query(100, 110, [...NAMES].reverse());
    expect(backward.featureSetFingerprint).toBe(forward.featureSetFingerprint);
    const set: any = await postGraphQL(graphqlUrl, `{ featureSet(features: ["obv", "rsi_14@1"]) { fingerprint features { reference } } }`);
    expect(set.data.featureSet.features.map((feature: any) => feature.reference)).toEqual(["obv@1", "rsi_14@1"]);
    expect(set.data.featureSet.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("recomputes values from a corrected bar on and keeps the stored values before it", async () => {
    await query(15_000, 16_000);
    const row = 15_500;
    const corrected = series.close[row] * 1.01;
    const high = Math.max(series.high[row], corrected);
    const file = files.write(
      "correction.csv",
      `ts,open,high,low,close,volume\n${iso(row)},${series.open[row]},${high},${series.low[row]},${corrected},${series.volume[row]}\n`,
    );
    const summary = await importCsvFile(postgresBarImportStore(server.database.pool), { file, symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    expect(summary.updated).toBe(1);
    const through = await server.database.pool.query(
      `SELECT max(through_open_time) AS through FROM feature_materialization WHERE symbol = 'BTCUSDT' AND timeframe = '1h'`,
    );
    expect(through.rows[0].through.toISOString()).toBe(iso(row - 1));
    const storedAfter = await server.database.pool.query(
      `SELECT count(*)::int AS n FROM feature_value_chunk WHERE symbol = 'BTCUSDT' AND timeframe = '1h' AND last_open_time >= $1`,
      [iso(row)],
    );
    expect(storedAfter.rows[0].n).toBe(0);

    const after = await query(15_000, 16_000, ["rsi_14@1"]);
    // Values before the corrected bar stay stored; from it on they are computed again.
    expect(after.features[0]).toMatchObject({ source: "PARTLY_MATERIALIZED", materializedValues: 500 });
    const rsi = getIndicator("rsi");
    const patched = { ...series, close: Float64Array.from(series.close), high: Float64Array.from(series.high) };
    patched.close[row] = corrected;
    patched.high[row] = high;
    const expected = rsi.computeBatch(resolveParameters(rsi, { period: 14 }), patched)[0].subarray(15_000, 16_001);
    expect(after.features[0].values).toEqual(Array.from(expected));
    expect(after.features[0].values[row - 15_001]).toBe(fullHistory(after.features[0].feature)[row - 1]);
    expect(after.features[0].values[row - 15_000]).not.toBe(fullHistory(after.features[0].feature)[row]);
  });

  it("answers a repeated query from the query cache until new bars of the symbol arrive", async () => {
    const cacheStats = async () => (await postGraphQL<any>(graphqlUrl, `{ cacheStats { total { hits misses size } } }`)).data!.cacheStats.total;
    const variables = { from: iso(20_000), to: iso(20_100), features: ["rsi_14"] };
    const first: any = await postGraphQL(graphqlUrl, FEATURES_QUERY, variables);
    const afterFirst = await cacheStats();
    const second: any = await postGraphQL(graphqlUrl, FEATURES_QUERY, variables);
    const afterSecond = await cacheStats();
    expect(second.data).toEqual(first.data);
    expect(afterSecond.hits).toBe(afterFirst.hits + 1);
    expect(afterSecond.misses).toBe(afterFirst.misses);

    // A new bar of BTCUSDT (imported through the server's own cache) drops the symbol's entries.
    const next = files.write("next.csv", `ts,open,high,low,close,volume\n2025-05-06T00:00:00Z,1,2,0.5,1.5,10\n`);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: next, symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false, onCommitted: server.invalidateSymbol });
    await postGraphQL(graphqlUrl, FEATURES_QUERY, variables);
    expect((await cacheStats()).misses).toBe(afterSecond.misses + 1);
  });

  it.each([
    ["an unknown feature", `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["nope"]) { openTimes } }`, "NOT_FOUND", /Unknown feature "nope"/],
    ["an unknown version", `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["rsi_14@9"]) { openTimes } }`, "NOT_FOUND", /has no version 9/],
    ["a malformed reference", `{ featureSet(features: ["RSI 14"]) { fingerprint } }`, "BAD_USER_INPUT", /is invalid/],
    ["a symbol that is not a ticker", `{ features(symbol: "btc usdt", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["rsi_14"]) { openTimes } }`, "BAD_USER_INPUT", /Argument `symbol` must be 1-32 upper-case letters/],
    ["a NUL byte in a symbol", `{ features(symbol: "BTC\\u0000", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["rsi_14"]) { openTimes } }`, "BAD_USER_INPUT", /control character/],
    ["too many features", `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: [${Array.from({ length: 51 }, (_, i) => `"f${i}"`).join(", ")}]) { openTimes } }`, "BAD_USER_INPUT", /at most 50 features/],
    ["a feature scoped to another timeframe", `{ features(symbol: "BTCUSDT", timeframe: M1, from: "2024-01-01T00:00:00Z", to: "2024-01-02T00:00:00Z", features: ["bb_upper"]) { openTimes } }`, "BAD_USER_INPUT", /defined for 1h bars only, not 1m/],
    ["a bad feature name", `mutation { registerFeature(input: { name: "RSI-14", indicator: "rsi" }) { created } }`, "BAD_USER_INPUT", /lower-case letters/],
    ["an unknown indicator", `mutation { registerFeature(input: { name: "x", indicator: "nope" }) { created } }`, "NOT_FOUND", /Unknown indicator "nope"/],
    ["a multi-output indicator without output", `mutation { registerFeature(input: { name: "macd_any", indicator: "macd" }) { created } }`, "BAD_USER_INPUT", /Name the output: "macd" has outputs macd, signal, histogram/],
    ["an out-of-bounds parameter", `mutation { registerFeature(input: { name: "rsi_0", indicator: "rsi", parameters: [{ name: "period", value: 0 }] }) { created } }`, "BAD_USER_INPUT", /period/],
  ])("answers %s with a coded error and stores nothing", async (_case, operation, code, message) => {
    const before = await server.database.pool.query("SELECT count(*)::int AS n FROM feature_definition");
    const response = await postGraphQL(graphqlUrl, operation, {}, { apiKey: server.adminKey });
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(response.errors?.[0].message).toMatch(message);
    const after = await server.database.pool.query("SELECT count(*)::int AS n FROM feature_definition");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("returns bars and features as parallel arrays with `series`", async () => {
    const response: any = await postGraphQL(
      graphqlUrl,
      `{ series(symbol: "BTCUSDT", timeframe: H1, from: "${iso(0)}", to: "${iso(4)}", features: ["rsi_14"]) { openTimes open high low close volume features { values } } }`,
    );
    expect(response.errors).toBeUndefined();
    const frame = response.data.series;
    expect(frame.openTimes).toHaveLength(5);
    expect(frame.close).toEqual(Array.from(series.close.subarray(0, 5)));
    expect(frame.features[0].values).toEqual([null, null, null, null, null]);
  });
});
