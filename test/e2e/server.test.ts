import { MAX_INDICATOR_SPECS } from "../../src/features/query-limits";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Pool } from "pg";
import { INDICATORS } from "../../src/indicators/registry";
import { resolveParameters } from "../../src/indicators/parameters";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { contextOf } from "../support/series-contexts";
import { mismatchesAgainstTalib } from "../support/talib-reference";

const ROOT = path.resolve(__dirname, "../..");
const PORT = 4_817;

/**
 * End to end: the compiled server (`npm run build` output) in its own process, the import CLI in another,
 * then `indicators` over HTTP compared with TA-Lib. `npm test` builds before running jest.
 */
describe("the built server and import CLI, end to end", () => {
  // With DATABASE_URL set, queries need a key unless anonymous reads are allowed (test/e2e/api-keys.test.ts covers keys).
  // NODE_ENV as a user has it (unset), not Jest's "test": libraries behave differently under "test" (Apollo
  // then installs no signal handlers, which once hid a shutdown hang from this suite).
  const { NODE_ENV: _jestNodeEnv, ...userEnvironment } = process.env;
  const environment = {
    ...userEnvironment,
    DATABASE_URL: testDatabaseUrl(),
    PORT: String(PORT),
    CANDELA_LOAD_SAMPLES: "false",
    CANDELA_ALLOW_ANONYMOUS_READS: "true",
    LOG_LEVEL: "warn",
  };
  let server: ChildProcess;
  let serverOutput = "";

  beforeAll(async () => {
    const pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    await pool.end();
    server = spawn(process.execPath, ["dist/src/cli/candela.js", "serve"], { cwd: ROOT, env: environment });
    server.stdout!.on("data", (chunk) => (serverOutput += chunk));
    server.stderr!.on("data", (chunk) => (serverOutput += chunk));
    await waitForHttp(`http://127.0.0.1:${PORT}/readyz`, 30_000);
  });

  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill("SIGINT");
      await new Promise((resolve) => server.once("exit", resolve));
    }
  });

  it("imports a real series with the CLI, reporting rows and gaps", () => {
    const run = spawnSync(
      process.execPath,
      ["dist/src/cli/candela.js", "import", "--file", path.join(SHARED_DATA_DIR, "ETHUSDT-1h.csv"), "--symbol", "ethusdt", "--timeframe", "1h"],
      { cwd: ROOT, env: environment, encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ETHUSDT 1h: imported/);
    expect(run.stdout).toMatch(/rows read\s+29178/);
    expect(run.stdout).toMatch(/inserted\s+29178/);
    expect(run.stdout).toMatch(/gaps\s+1 \(1 missing bars\)/);
  });

  it("rejects a bad file from the CLI with line numbers and a non-zero exit, writing nothing", async () => {
    const files = temporaryFolder();
    const file = files.write("bad.csv", "ts,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T00:30:00Z,1,2,0.5,1.5,10\n");
    const run = spawnSync(process.execPath, ["dist/src/cli/candela.js", "import", "--file", file, "--symbol", "BADFILE", "--timeframe", "1h"], {
      cwd: ROOT,
      env: environment,
      encoding: "utf8",
    });
    files.cleanup();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/line 3: open time 2024-01-01T00:30:00(\.000)?Z is not on the 1h grid/);
    expect(run.stdout).toMatch(/NOT imported/);
    const pool = new Pool({ connectionString: testDatabaseUrl() });
    const stored = await pool.query("SELECT count(*)::int AS n FROM instrument WHERE symbol = 'BADFILE'");
    await pool.end();
    expect(stored.rows[0].n).toBe(0);
  });

  it.each([
    [["--timeframe", "2m", "--symbol", "BTCUSDT"], /\[BAD_USER_INPUT\]: Unknown timeframe "2m"/],
    [["--timeframe", "1h", "--symbol", "BTC USDT"], /\[BAD_USER_INPUT\]: "BTC USDT" is not a valid symbol/],
    [["--timeframe", "1h", "--symbol", "BTCUSDT", "--calendar", "sometimes"], /\[BAD_USER_INPUT\]: Unknown calendar preset "sometimes"/],
  ])("refuses bad CLI arguments %j with a coded message and exit code 2, before touching the store", (extra, message) => {
    const file = path.join(SHARED_DATA_DIR, "ETHUSDT-1h.csv");
    const run = spawnSync(process.execPath, ["dist/src/cli/candela.js", "import", "--file", file, ...extra], { cwd: ROOT, env: environment, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/    at /);
  });

  it("serves indicators over HTTP equal to TA-Lib on the imported series", async () => {
    const series = loadSeries("ETHUSDT-1h.csv");
    const fromRow = 25_000;
    const toRow = 25_999;
    const results: any[] = [];
    // A request takes at most MAX_INDICATOR_SPECS specs: the registry in groups of that many.
    for (let first = 0; first < INDICATORS.length; first += MAX_INDICATOR_SPECS) {
      const response: any = await postGraphQL(
        `http://127.0.0.1:${PORT}/graphql`,
        `query($from: DateTimeISO!, $to: DateTimeISO!, $specs: [IndicatorSpecInput!]!) {
          indicators(symbol: "ETHUSDT", timeframe: H1, from: $from, to: $to, specs: $specs) {
            openTimes results { indicator historySufficient parameters { name value } outputs { name values } }
          }
        }`,
        {
          from: new Date(series.openTime[fromRow]).toISOString(),
          to: new Date(series.openTime[toRow]).toISOString(),
          specs: INDICATORS.slice(first, first + MAX_INDICATOR_SPECS).map((definition) => ({ indicator: definition.id })),
        },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.indicators.openTimes).toHaveLength(1_000);
      results.push(...response.data.indicators.results);
    }
    expect(results.map((result) => result.indicator)).toEqual(INDICATORS.map((definition) => definition.id));
    for (const result of results) {
      const definition = INDICATORS.find((candidate) => candidate.id === result.indicator)!;
      const mismatches = mismatchesAgainstTalib(definition.id, resolveParameters(definition, {}), series, contextOf("BTCUSDT-1h.csv"), fromRow, result.outputs);
      expect(mismatches.filter((output) => output.mismatched > 0)).toEqual([]);
    }
  });

  it("shuts down cleanly on SIGINT, at once", async () => {
    const sent = Date.now();
    server.kill("SIGINT");
    const code = await new Promise((resolve) => server.once("exit", resolve));
    // A liveness bound, not a speed target: a stop step that waits on something that never comes took ~10 s.
    expect({ code, output: serverOutput, stoppedWithinFiveSeconds: Date.now() - sent < 5_000 }).toEqual({
      code: 0,
      output: expect.not.stringMatching(/"level":50/),
      stoppedWithinFiveSeconds: true,
    });
  });
});

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
