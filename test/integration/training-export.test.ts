import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parse } from "csv-parse/sync";
import { Timeframe } from "../../src/domain/timeframe";
import { FeatureRegistryService } from "../../src/features/feature-registry.service";
import { FeatureRetrievalService } from "../../src/features/feature-retrieval.service";
import { TrainingExportService } from "../../src/features/training-export.service";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { createStoreAdapters, type StoreAdapters } from "../../src/store/store-adapters";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const FROM = "2022-01-01T00:00:00Z";
const TO = "2022-03-31T23:00:00Z";
const SERIES = `query($symbol: String!) { series(symbol: $symbol, timeframe: H1, from: "${FROM}", to: "${TO}", features: ["rsi_14", "ema_20"]) {
  openTimes open high low close volume features { values } } }`;

/** A `series` answer as rows: [open time (epoch ms), open, high, low, close, volume, rsi_14, ema_20]. */
type Row = (number | null)[];

/**
 * Training exports over HTTP against the real server and PostgreSQL: Arrow IPC and CSV of two symbols read back with
 * apache-arrow and csv-parse, equal to `series` value for value (undefined warm-up values null); an export cut into
 * small chunks equals one in a single chunk; mistakes are answered before any data with a coded JSON error. The
 * point-in-time join, through GraphQL and as Arrow and CSV, gives each event the values of the newest bar closed at or
 * before it, never a later one.
 */
describe("training exports and point-in-time joins", () => {
  let server: TestServer;
  let closed: TestServer;
  let stores: StoreAdapters;
  const expected = new Map<string, Row[]>();

  const exportUrl = (query: string) => `${server.url}/export?${query}`;
  const base = `timeframe=1h&from=${FROM}&to=${TO}&features=rsi_14,ema_20`;

  beforeAll(async () => {
    server = await startTestServer();
    await emptyStore(server.database.pool);
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      await importCsvFile(postgresBarImportStore(server.database.pool), { file: path.join(SHARED_DATA_DIR, `${symbol}-1h.csv`), symbol, timeframe: Timeframe.H1, skipInvalid: false });
    }
    for (const input of [`{ name: "rsi_14", indicator: "rsi" }`, `{ name: "ema_20", indicator: "ema", parameters: [{ name: "period", value: 20 }] }`]) {
      expect((await postGraphQL(`${server.url}/graphql`, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: server.adminKey })).errors).toBeUndefined();
    }
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      const frame = (await postGraphQL<any>(`${server.url}/graphql`, SERIES, { symbol })).data.series;
      expected.set(
        symbol,
        frame.openTimes.map((openTime: string, row: number) => [Date.parse(openTime), frame.open[row], frame.high[row], frame.low[row], frame.close[row], frame.volume[row], frame.features[0].values[row], frame.features[1].values[row]]),
      );
    }
    stores = createStoreAdapters(server.database);
    closed = await startTestServer({ allowAnonymousReads: false });
  });
  afterAll(async () => {
    await stores.close();
    await closed.close();
    await emptyStore(server.database.pool);
    await server.close();
  });

  it("streams Arrow IPC that apache-arrow reads back equal to series, symbol after symbol", async () => {
    const response = await fetch(exportUrl(`symbols=BTCUSDT,ETHUSDT&${base}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.apache.arrow.stream");
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    expect(table.schema.fields.map((field) => field.name)).toEqual(["symbol", "open_time", "open", "high", "low", "close", "volume", "rsi_14", "ema_20"]);
    expect(JSON.parse(table.schema.metadata.get("features")!)).toEqual({ rsi_14: "rsi_14@1", ema_20: "ema_20@1" });
    const rows = table.toArray().map((row) => row.toJSON());
    const bySymbol = (symbol: string) => rows.filter((row) => row.symbol === symbol).map((row) => [row.open_time, row.open, row.high, row.low, row.close, row.volume, row.rsi_14, row.ema_20]);
    expect(rows.map((row) => row.symbol)).toEqual([...expected.get("BTCUSDT")!.map(() => "BTCUSDT"), ...expected.get("ETHUSDT")!.map(() => "ETHUSDT")]);
    expect(bySymbol("BTCUSDT")).toEqual(expected.get("BTCUSDT"));
    expect(bySymbol("ETHUSDT")).toEqual(expected.get("ETHUSDT"));
    expect(expected.get("BTCUSDT")![0][6]).toBeNull(); // RSI's warm-up: null, as in series
  });

  it("streams CSV with epoch-millisecond open times and empty cells where a value is undefined", async () => {
    const response = await fetch(exportUrl(`symbols=ETHUSDT&${base}&format=csv`));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...lines] = parse(await response.text()) as string[][];
    expect(header).toEqual(["symbol", "open_time", "open", "high", "low", "close", "volume", "rsi_14", "ema_20"]);
    expect(lines.map((line) => line.slice(1).map((cell) => (cell === "" ? null : Number(cell))))).toEqual(expected.get("ETHUSDT"));
  });

  it("yields the same rows in chunks of 500 bars as in one chunk", async () => {
    const registry = new FeatureRegistryService(stores.featureDefinitions);
    const retrieval = new FeatureRetrievalService(registry, stores.reader, stores.offlineStore);
    const request = { symbols: ["BTCUSDT", "ETHUSDT"], timeframe: Timeframe.H1, from: Date.parse(FROM), to: Date.parse(TO), features: ["rsi_14", "ema_20"] };
    const rowsOf = async (chunkBars: number) => {
      const service = new TrainingExportService(retrieval, stores.reader, registry, Date.now, chunkBars);
      const rows: Row[] = [];
      let chunks = 0;
      for await (const { frame } of service.chunks(await service.prepare(request))) {
        chunks++;
        for (let row = 0; row < frame.bars.length; row++) rows.push([frame.bars.openTime[row], frame.bars.close[row], ...frame.columns.map((column) => column.values[row])]);
      }
      return { rows, chunks };
    };
    const small = await rowsOf(500);
    const whole = await rowsOf(100_000);
    expect(small.chunks).toBeGreaterThan(8);
    expect(whole.chunks).toBe(2);
    expect(small.rows).toEqual(whole.rows);
  });

  it.each([
    ["an unknown symbol", `symbols=NOPE&${base}`, 404, "NOT_FOUND", /Unknown symbol "NOPE"/],
    ["an unknown feature", `symbols=BTCUSDT&timeframe=1h&from=${FROM}&to=${TO}&features=nope_1`, 404, "NOT_FOUND", /nope_1/],
    ["a bad timeframe", `symbols=BTCUSDT&timeframe=2h&from=${FROM}&to=${TO}`, 400, "BAD_USER_INPUT", /Unknown timeframe "2h"/],
    ["a bad time", `symbols=BTCUSDT&timeframe=1h&from=yesterday&to=${TO}`, 400, "BAD_USER_INPUT", /from "yesterday" is not an instant/],
    ["a reversed range", `symbols=BTCUSDT&timeframe=1h&from=${TO}&to=${FROM}`, 400, "BAD_USER_INPUT", /from must be at or before to/],
    ["no symbols", `timeframe=1h&from=${FROM}&to=${TO}`, 400, "BAD_USER_INPUT", /Give symbols once/],
    ["an unknown format", `symbols=BTCUSDT&${base}&format=parquet`, 400, "BAD_USER_INPUT", /format must be "arrow" or "csv"/],
  ])("answers %s with its HTTP status and a coded JSON error, before any data", async (_case, query, status, code, message) => {
    const response = await fetch(exportUrl(query));
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  });

  it("needs a read key where anonymous reads are off", async () => {
    const url = `${closed.url}/export?symbols=BTCUSDT&${base}`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("UNAUTHENTICATED");
    const keyed = await fetch(url, { headers: { authorization: `Bearer ${closed.adminKey}` } });
    expect(keyed.status).toBe(200);
    expect(tableFromIPC(new Uint8Array(await keyed.arrayBuffer())).numRows).toBe(expected.get("BTCUSDT")!.length);
  });

  describe("point-in-time join", () => {
    const HOUR = 3_600_000;
    /** Events and the row of `expected` each must see (-1: none). */
    const cases = () => {
      const btc = expected.get("BTCUSDT")!;
      const eth = expected.get("ETHUSDT")!;
      const at = (rows: Row[], row: number, offset: number) => new Date((rows[row][0] as number) + offset).toISOString();
      return [
        // Exactly at a bar's close: that bar has closed, so the event sees it.
        { symbol: "BTCUSDT", timestamp: at(btc, 500, HOUR), row: btc[500] },
        // A millisecond before its close: the bar before.
        { symbol: "BTCUSDT", timestamp: at(btc, 500, HOUR - 1), row: btc[499] },
        { symbol: "ETHUSDT", timestamp: at(eth, 1000, 90 * 60_000), row: eth[1000] },
        // Before the first stored bar: nothing.
        { symbol: "BTCUSDT", timestamp: "2021-06-01T00:00:00Z", row: undefined },
        { symbol: "BTCUSDT", timestamp: at(btc, 5, HOUR), row: btc[5] },
      ];
    };

    it("gives each event, through GraphQL, the values of the newest bar closed at or before it, in request order", async () => {
      const events = cases();
      const response = await postGraphQL<any>(
        `${server.url}/graphql`,
        `query($events: [FeatureEvent!]!) { pointInTimeFeatures(timeframe: H1, features: ["rsi_14", "ema_20"], events: $events) {
          symbol timestamp openTime values { feature reference value } } }`,
        { events: events.map(({ symbol, timestamp }) => ({ symbol, timestamp })) },
      );
      expect(response.errors).toBeUndefined();
      const rows = response.data.pointInTimeFeatures;
      expect(rows.map((row: any) => row.symbol)).toEqual(events.map((event) => event.symbol));
      rows.forEach((row: any, index: number) => {
        const { row: bar, timestamp } = events[index];
        expect(row.timestamp).toBe(new Date(timestamp).toISOString());
        expect(row.openTime).toBe(bar === undefined ? null : new Date(bar[0] as number).toISOString());
        expect(row.values).toEqual([
          { feature: "rsi_14", reference: "rsi_14@1", value: bar === undefined ? null : bar[6] },
          { feature: "ema_20", reference: "ema_20@1", value: bar === undefined ? null : bar[7] },
        ]);
      });
      expect(rows[4].values[0].value).toBeNull(); // row 5 is inside RSI's lookback
    });

    it("answers the same join as Arrow and CSV over POST /export/join", async () => {
      const events = cases();
      const body = (format: string) => JSON.stringify({ timeframe: "1h", features: ["rsi_14", "ema_20"], events: events.map(({ symbol, timestamp }) => ({ symbol, timestamp })), format });
      const arrow = await fetch(`${server.url}/export/join`, { method: "POST", headers: { "content-type": "application/json" }, body: body("arrow") });
      expect(arrow.status).toBe(200);
      const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
      expect(table.schema.fields.map((field) => field.name)).toEqual(["symbol", "timestamp", "open_time", "rsi_14", "ema_20"]);
      const fromArrow = table.toArray().map((row) => row.toJSON());
      const expectedRows = events.map(({ symbol, timestamp, row }) => [symbol, Date.parse(timestamp), row?.[0] ?? null, row?.[6] ?? null, row?.[7] ?? null]);
      expect(fromArrow.map((row) => [row.symbol, row.timestamp, row.open_time, row.rsi_14, row.ema_20])).toEqual(expectedRows);
      const csv = await fetch(`${server.url}/export/join`, { method: "POST", headers: { "content-type": "application/json" }, body: body("csv") });
      const [header, ...lines] = parse(await csv.text()) as string[][];
      expect(header).toEqual(["symbol", "timestamp", "open_time", "rsi_14", "ema_20"]);
      expect(lines.map(([symbol, ...cells]) => [symbol, ...cells.map((cell) => (cell === "" ? null : Number(cell)))])).toEqual(expectedRows);
    });

    it("refuses too many events for GraphQL, a malformed body and an unknown symbol with coded errors", async () => {
      const many = Array.from({ length: 1_001 }, () => ({ symbol: "BTCUSDT", timestamp: "2022-02-01" }));
      const tooMany = await postGraphQL<any>(`${server.url}/graphql`, `query($events: [FeatureEvent!]!) { pointInTimeFeatures(timeframe: H1, features: ["rsi_14"], events: $events) { symbol } }`, { events: many });
      expect(tooMany.errors?.[0]).toMatchObject({ message: expect.stringContaining("POST /export/join"), extensions: { code: "BAD_USER_INPUT" } });
      const malformed = await fetch(`${server.url}/export/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ timeframe: "1h", events: [] }) });
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("features") });
      const notJson = await fetch(`${server.url}/export/join`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(notJson.status).toBe(400);
      expect((await notJson.json()).error).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("not a JSON join request") });
      const unknown = await fetch(`${server.url}/export/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeframe: "1h", features: ["rsi_14"], events: [{ symbol: "NOPE", timestamp: 1_650_000_000_000 }] }),
      });
      expect(unknown.status).toBe(404);
    });
  });
});
