/**
 * The client examples against the current schema and a real server: the committed typed documents are what
 * `npm run codegen` makes of schema.graphql (so a schema change that breaks them fails here), the TypeScript bot compiles
 * against them (`npm run typecheck` covers examples/typescript too) and runs (history, latest values, readiness, a
 * subscription that sees a newly ingested bar), and the Python example loads `series` into a pandas DataFrame where
 * python3 with pandas and requests is installed (Debian: python3-pandas, python3-requests; .ci/run installs them).
 */
import { spawnSync } from "node:child_process";
import { runCommand, startCommand } from "../support/child-process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const ROOT = path.resolve(__dirname, "../..");
const SERIES = loadSeries("BTCUSDT-1h.csv");
const HISTORY = 600;
const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();
const barInput = (row: number) => ({ openTime: iso(row), open: SERIES.open[row], high: SERIES.high[row], low: SERIES.low[row], close: SERIES.close[row], volume: SERIES.volume[row] });
const HISTORICAL = `query($from: DateTimeISO!, $to: DateTimeISO!) { features(symbol: "BTCUSDT", timeframe: H1, from: $from, to: $to, features: ["rsi_14"]) { openTimes features { values } } }`;

/** Prints, as JSON, the files `npm run codegen` would write (codegen.yml), without writing them. */
const GENERATE = `
const { generate, loadCodegenConfig } = require("@graphql-codegen/cli");
loadCodegenConfig({ configFilePath: "codegen.yml" })
  .then(({ config }) => generate({ ...config, silent: true }, false))
  .then((outputs) => process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content })))));
`;

/** The first python3 that can import pandas and requests (the one on PATH, else Debian's), or undefined. */
function pythonWithPandas(): string | undefined {
  return ["python3", "/usr/bin/python3"].find((python) => spawnSync(python, ["-c", "import pandas, requests"], { encoding: "utf8" }).status === 0);
}
const PYTHON = pythonWithPandas();

describe("client examples", () => {
  const folder = temporaryFolder();
  let server: TestServer;

  const historical = async (first: number, last: number): Promise<number[]> => {
    const response = await postGraphQL<any>(`${server.url}/graphql`, HISTORICAL, { from: iso(first), to: iso(last) });
    return response.data.features.features[0].values;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await emptyStore(server.database.pool);
    const lines = ["ts,open,high,low,close,volume"];
    for (let row = 0; row < HISTORY; row++) lines.push([iso(row), SERIES.open[row], SERIES.high[row], SERIES.low[row], SERIES.close[row], SERIES.volume[row]].join(","));
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: folder.write("history.csv", lines.join("\n")), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    await server.invalidateSymbol("BTCUSDT");
    const registered = await postGraphQL(`${server.url}/graphql`, `mutation { registerFeature(input: { name: "rsi_14", indicator: "rsi" }) { created } }`, {}, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
  });
  afterAll(async () => {
    await emptyStore(server.database.pool);
    await server.close();
    folder.cleanup();
  });

  it("commits exactly the typed documents npm run codegen makes of schema.graphql", async () => {
    // In a process of its own: the code generator's command-line dependencies are ES modules, which Jest cannot load.
    const generated = await runCommand(process.execPath, ["-e", GENERATE]);
    expect(generated.stderr).toBe("");
    const outputs = JSON.parse(generated.stdout) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) expect([output.filename, readFileSync(path.join(ROOT, output.filename), "utf8")]).toEqual([output.filename, output.content]);
  });

  it("compiles the TypeScript bot against the generated types and runs it: history, latest values, a live update", async () => {
    const compiled = await runCommand(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "examples/typescript"]);
    expect(compiled.stdout + compiled.stderr).toBe("");
    const bot = startCommand(process.execPath, ["examples/typescript/build/bot.js"], { ...process.env, CANDELA_URL: `${server.url}/graphql`, EVENTS: "1", HISTORY_HOURS: "48" });
    // The first update is the current values: the subscription is live, the next bar reaches it.
    await eventually(() => bot.stdout().includes('"step":"update"'), 20_000, "the bot's first update");
    const ingested = await postGraphQL<any>(`${server.url}/graphql`, `mutation($bars: [BarInput!]!) { ingestBars(symbol: "BTCUSDT", timeframe: H1, bars: $bars) { inserted } }`, { bars: [barInput(HISTORY)] }, { apiKey: server.adminKey });
    expect(ingested.data?.ingestBars.inserted).toBe(1);
    const finished = await bot.exited;
    expect([finished.status, finished.stderr]).toEqual([0, ""]);
    const steps = finished.stdout.trim().split("\n").map((line) => JSON.parse(line));
    const newest = await historical(HISTORY - 1, HISTORY);
    expect(steps[0]).toMatchObject({ step: "latest", symbol: "BTCUSDT", openTime: iso(HISTORY - 1), readiness: "CATCHING_UP", values: [{ feature: "rsi_14", reference: "rsi_14@1", value: newest[0] }] });
    expect(steps[1]).toEqual({ step: "history", bars: 49, last: newest[0] });
    expect(steps[2]).toMatchObject({ step: "update", openTime: iso(HISTORY - 1), values: [{ feature: "rsi_14", value: newest[0] }] });
    expect(steps[3]).toMatchObject({ step: "update", openTime: iso(HISTORY), final: true, values: [{ feature: "rsi_14", value: newest[1] }] });
  });

  (PYTHON !== undefined ? it : it.skip)("loads a series into a pandas DataFrame with the Python example", async () => {
    const python = await runCommand(PYTHON!, ["examples/python/series_to_dataframe.py", "BTCUSDT", "H1", iso(HISTORY - 10), iso(HISTORY - 1), "rsi_14"], { ...process.env, CANDELA_URL: `${server.url}/graphql` });
    expect(python.stderr).toBe("");
    expect(python.status).toBe(0);
    const [summary, header, ...rows] = python.stdout.trim().split("\n");
    expect(summary).toBe("rows=10 columns=open,high,low,close,volume,rsi_14");
    expect(header).toBe("open_time,open,high,low,close,volume,rsi_14");
    const last = rows[rows.length - 1].split(",");
    expect(Number(last[4])).toBe(SERIES.close[HISTORY - 1]);
    expect(Number(last[6])).toBeCloseTo((await historical(HISTORY - 1, HISTORY - 1))[0], 12);
  });
});
