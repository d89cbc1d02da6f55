/**
 * Restart without re-warming, end to end: the built server in its own process checkpoints each live series'
 * streaming state in PostgreSQL every few bars and at shutdown. Killed with SIGKILL in the middle of a stream, a new
 * server resumes from the last checkpoint plus the bars stored after it (the metrics show how many it read) and
 * every later value is identical to the historical value of the same bar, which is what an uninterrupted run streams
 * (test/integration/live-pipeline.test.ts). A correction of history written while no server runs voids the
 * checkpoint: the next start replays the whole history.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { Pool } from "pg";
import { postGraphQL } from "../support/graphql-client";
import { eventually } from "../support/redis-server";
import { loadSeries } from "../support/market-data";
import { freePort, startServerProcess, waitForHttp, type ServerProcess } from "../support/server-process";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const SERIES = loadSeries("BTCUSDT-1h.csv");
const HISTORY = 3_000;
const EVERY = 5;
const FEATURES = ["rsi_14", "macd_hist", "bb_upper", "obv"];
const REGISTRATIONS = [
  `{ name: "rsi_14", indicator: "rsi" }`,
  `{ name: "macd_hist", indicator: "macd", output: "histogram" }`,
  `{ name: "bb_upper", indicator: "bbands", output: "upper" }`,
  `{ name: "obv", indicator: "obv" }`,
];
const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();
const csvLine = (row: number, close = SERIES.close[row]) =>
  [iso(row), SERIES.open[row], Math.max(SERIES.high[row], close), Math.min(SERIES.low[row], close), close, SERIES.volume[row]].join(",");

describe("streaming state checkpoints across restarts of the built server", () => {
  const folder = temporaryFolder();
  const environment = { DATABASE_URL: testDatabaseUrl(), CANDELA_LOAD_SAMPLES: "false", CANDELA_ALLOW_ANONYMOUS_READS: "true", CANDELA_CHECKPOINT_EVERY_BARS: String(EVERY), LOG_LEVEL: "warn" };
  const candela = (...args: string[]) => spawnSync(process.execPath, ["dist/src/cli/candela.js", ...args], { cwd: ROOT, env: { ...process.env, ...environment }, encoding: "utf8" });
  let pool: Pool;
  let adminKey: string;
  let server: ServerProcess | undefined;
  let url: string;

  const start = async () => {
    const port = await freePort();
    server = startServerProcess({ ...environment, PORT: String(port) });
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/readyz`, 60_000);
  };
  const graphql = async (query: string, variables: Record<string, unknown> = {}, apiKey?: string) => {
    const response = await postGraphQL<any>(`${url}/graphql`, query, variables, { apiKey });
    expect(response.errors).toBeUndefined();
    return response.data;
  };
  const ingest = (row: number) =>
    graphql(
      `mutation($bars: [BarInput!]!) { ingestBars(symbol: "BTCUSDT", timeframe: H1, bars: $bars) { inserted } }`,
      { bars: [{ openTime: iso(row), open: SERIES.open[row], high: SERIES.high[row], low: SERIES.low[row], close: SERIES.close[row], volume: SERIES.volume[row], closed: true }] },
      adminKey,
    );
  /** latestFeatures' bar and values against the historical `features` values of the same bar. */
  const expectLatestEqualsHistory = async (row: number) => {
    const latestQuery = `{ latestFeatures(symbols: ["BTCUSDT"], timeframe: H1, features: ${JSON.stringify(FEATURES)}) { openTime values { value } } }`;
    // The materializer advances when it hears of the committed bar (NOTIFY), just after ingestBars has answered.
    let latest = await graphql(latestQuery);
    await eventually(async () => (latest = await graphql(latestQuery)).latestFeatures[0].openTime === iso(row), 10_000, `the values of ${iso(row)}`);
    const history = await graphql(
      `{ features(symbol: "BTCUSDT", timeframe: H1, from: "${iso(row)}", to: "${iso(row)}", features: ${JSON.stringify(FEATURES)}) { openTimes features { values } } }`,
    );
    expect(latest.latestFeatures[0].openTime).toBe(iso(row));
    expect(history.features.openTimes).toEqual([iso(row)]);
    expect(latest.latestFeatures[0].values.map((value: any) => value.value)).toEqual(history.features.features.map((column: any) => column.values[0]));
  };
  /** The value of a counter of the server's /metrics for one origin label. */
  const counter = async (name: string, origin: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{origin="${origin}"}`));
    return line === undefined ? 0 : Number(line.split(" ").pop());
  };
  const checkpointRow = async () =>
    (await pool.query("SELECT through_open_time, bar_count FROM feature_stream_checkpoint WHERE symbol = 'BTCUSDT' AND timeframe = '1h'")).rows;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    const history = folder.write("history.csv", ["ts,open,high,low,close,volume", ...Array.from({ length: HISTORY }, (_, row) => csvLine(row))].join("\n"));
    expect(candela("import", "--file", history, "--symbol", "BTCUSDT", "--timeframe", "1h").status).toBe(0);
    const created = candela("keys", "create", "--name", "checkpoint-test", "--scopes", "admin");
    expect(created.status).toBe(0);
    adminKey = created.stdout.trim();
    await start();
    for (const input of REGISTRATIONS) await graphql(`mutation { registerFeature(input: ${input}) { created } }`, {}, adminKey);
  });

  afterAll(async () => {
    await server?.stop();
    await pool?.end();
    folder.cleanup();
  });

  it("after SIGKILL, resumes from the last periodic checkpoint plus the bars after it, with identical values", async () => {
    await expectLatestEqualsHistory(HISTORY - 1); // activates the series: one replay of the history
    expect(await counter("candela_live_state_builds_total", "history")).toBe(1);
    for (let row = HISTORY; row < HISTORY + 2 * EVERY + 2; row++) await ingest(row);
    await expectLatestEqualsHistory(HISTORY + 2 * EVERY + 1);
    // Checkpoints after the replay and after every EVERY advanced bars: the last one after bar HISTORY + 2 * EVERY - 1.
    const [periodic] = await checkpointRow();
    expect(periodic.through_open_time.toISOString()).toBe(iso(HISTORY + 2 * EVERY - 1));
    expect(periodic.bar_count).toBe(HISTORY + 2 * EVERY);

    await server!.kill("SIGKILL");
    await start();
    await expectLatestEqualsHistory(HISTORY + 2 * EVERY + 1);
    expect(await counter("candela_live_state_builds_total", "checkpoint")).toBe(1);
    expect(await counter("candela_live_state_builds_total", "history")).toBe(0);
    expect(await counter("candela_live_state_build_bars_total", "checkpoint")).toBe(2); // the two bars after the checkpoint
    for (let row = HISTORY + 2 * EVERY + 2; row < HISTORY + 3 * EVERY + 4; row++) {
      await ingest(row);
      await expectLatestEqualsHistory(row);
    }
  });

  it("checkpoints at shutdown; a correction written while no server runs voids the checkpoint and the next start replays history", async () => {
    const newest = HISTORY + 3 * EVERY + 3;
    await server!.stop();
    const [atShutdown] = await checkpointRow();
    expect(atShutdown.through_open_time.toISOString()).toBe(iso(newest));

    await start();
    await expectLatestEqualsHistory(newest);
    expect(await counter("candela_live_state_builds_total", "checkpoint")).toBe(1);
    expect(await counter("candela_live_state_build_bars_total", "checkpoint")).toBe(0);
    await server!.stop();

    const correction = folder.write("correction.csv", ["ts,open,high,low,close,volume", csvLine(HISTORY - 100, SERIES.close[HISTORY - 100] * 1.02)].join("\n"));
    expect(candela("import", "--file", correction, "--symbol", "BTCUSDT", "--timeframe", "1h").status).toBe(0);
    await start();
    await expectLatestEqualsHistory(newest);
    expect(await counter("candela_live_state_builds_total", "history")).toBe(1);
    expect(await counter("candela_live_state_builds_total", "checkpoint")).toBe(0);
  });
});
