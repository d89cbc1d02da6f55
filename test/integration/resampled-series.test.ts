import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";

/** BTCUSDT-1m.csv starts 2024-02-12T03:00Z; its first 833 whole hours are in BTCUSDT-1h.csv (SOURCES.md). */
describe("series aggregated from stored 1m bars, over HTTP against the real PostgreSQL", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const hourly = loadSeries("BTCUSDT-1h.csv");
  const minutes = loadSeries("BTCUSDT-1m.csv");
  const firstHour = Date.parse("2024-02-12T03:00:00Z");
  const hourRow = (openTime: number) => hourly.openTime.indexOf(openTime);
  const files = temporaryFolder();

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1m.csv"), symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false });
  });
  afterAll(async () => {
    await server.close();
    files.cleanup();
  });

  it("serves 1h bars aggregated from 1m that equal Binance's own 1h bars", async () => {
    const response: any = await postGraphQL(
      graphqlUrl,
      `{ bars(symbol: "BTCUSDT", timeframe: H1, first: 5000) { nodes { openTime open high low close volume complete } pageInfo { hasNextPage } } }`,
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data.bars.nodes;
    expect(nodes).toHaveLength(833); // the unfinished last hour (20 of 60 minutes) is left out
    expect(response.data.bars.pageInfo.hasNextPage).toBe(false);
    expect(nodes[0].openTime).toBe(new Date(firstHour).toISOString());
    for (const node of nodes) {
      const row = hourRow(Date.parse(node.openTime));
      expect([node.open, node.high, node.low, node.close, node.complete]).toEqual([hourly.open[row], hourly.high[row], hourly.low[row], hourly.close[row], true]);
      expect(Math.abs(node.volume - hourly.volume[row])).toBeLessThanOrEqual(1e-12 * hourly.volume[row]);
    }
  });

  it("pages through aggregated bars with cursors and returns the unfinished last bar only when asked", async () => {
    const page = `query($after: String) { bars(symbol: "BTCUSDT", timeframe: H4, first: 50, after: $after, includeIncomplete: true) {
      nodes { openTime complete } pageInfo { hasNextPage endCursor } } }`;
    const openTimes: string[] = [];
    let last: any;
    let after: string | null = null;
    do {
      const response: any = await postGraphQL(graphqlUrl, page, { after });
      openTimes.push(...response.data.bars.nodes.map((node: any) => node.openTime));
      last = response.data.bars.nodes[response.data.bars.nodes.length - 1];
      after = response.data.bars.pageInfo.hasNextPage ? response.data.bars.pageInfo.endCursor : null;
    } while (after !== null);
    expect(new Set(openTimes).size).toBe(openTimes.length);
    expect(openTimes[0]).toBe("2024-02-12T00:00:00.000Z"); // starts at 03:00 inside the 00:00 bucket
    expect(last).toEqual({ openTime: "2024-03-17T20:00:00.000Z", complete: false });
    expect(openTimes).toHaveLength(Math.floor((Date.parse("2024-03-17T20:00:00Z") - Date.parse("2024-02-12T00:00:00Z")) / 14_400_000) + 1);
  });

  it("computes indicators and features at 1h from the 1m bars, with the warm-up aggregated too", async () => {
    const from = new Date(firstHour + 400 * 3_600_000).toISOString();
    const to = new Date(firstHour + 450 * 3_600_000).toISOString();
    const response: any = await postGraphQL(
      graphqlUrl,
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${from}", to: "${to}", specs: [{ indicator: "sma", parameters: [{ name: "period", value: 24 }] }]) {
           openTimes incompleteOpenTimes results { historySufficient outputs { values } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const result = response.data.indicators;
    expect(result.openTimes).toHaveLength(51);
    expect(result.incompleteOpenTimes).toEqual([]);
    expect(result.results[0].historySufficient).toBe(true);
    const firstRow = hourRow(Date.parse(from));
    result.results[0].outputs[0].values.forEach((value: number, index: number) => {
      let sum = 0;
      for (let k = firstRow + index - 23; k <= firstRow + index; k++) sum += hourly.close[k];
      expect(Math.abs(value - sum / 24)).toBeLessThanOrEqual(1e-9 * value);
    });
  });

  it("recomputes materialized 1h features when a 1m bar inside the hour is corrected", async () => {
    const registered: any = await postGraphQL(graphqlUrl, `mutation { registerFeature(input: { name: "close_sma_3", indicator: "sma", parameters: [{ name: "period", value: 3 }] }) { created } }`, {}, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
    const query = `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-02-20T00:00:00Z", to: "2024-02-20T05:00:00Z", features: ["close_sma_3"]) {
      features { source materializedValues values } } }`;
    const before: any = await postGraphQL(graphqlUrl, query);
    expect(before.data.features.features[0].source).toBe("COMPUTED");
    await server.invalidateSymbol("BTCUSDT"); // past the query cache, to the offline store
    expect((await postGraphQL<any>(graphqlUrl, query)).data!.features.features[0].source).toBe("MATERIALIZED");

    // Raise the last minute's close of the 03:00 hour: the 03:00 hour's close changes, and with it the SMA from 03:00 on.
    const minute = minutes.openTime.indexOf(Date.parse("2024-02-20T03:59:00Z"));
    const close = minutes.close[minute] + 100;
    const file = files.write("fix.csv", `ts,open,high,low,close,volume\n2024-02-20T03:59:00Z,${minutes.open[minute]},${Math.max(minutes.high[minute], close)},${minutes.low[minute]},${close},${minutes.volume[minute]}\n`);
    await importCsvFile(postgresBarImportStore(server.database.pool), { file, symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false, onCommitted: server.invalidateSymbol });

    const after: any = await postGraphQL(graphqlUrl, query);
    const [old, fresh] = [before.data.features.features[0].values, after.data.features.features[0].values];
    // The hours before 03:00 stay stored; from 03:00 on they are computed again.
    expect(after.data.features.features[0]).toMatchObject({ source: "PARTLY_MATERIALIZED", materializedValues: 3 });
    expect(fresh.slice(0, 3)).toEqual(old.slice(0, 3));
    for (let row = 3; row <= 5; row++) expect(fresh[row]).toBeCloseTo(old[row] + 100 / 3, 6);
  });
});
