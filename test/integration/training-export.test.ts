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
 * small chunks equals one in a single chunk; mistakes are answered before any data with a coded JSON error.
 */
describe("training exports", () => {
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
});
