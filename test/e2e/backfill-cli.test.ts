/**
 * `candela backfill` (`npm run backfill`) end to end: the built command against the fake Binance and the test
 * database, a second run fetching nothing, a refused provider, and SIGINT in the middle of a run, after which the same
 * command resumes and leaves every bar stored.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Pool } from "pg";
import { startCommand } from "../support/child-process";
import { binanceDumpRows, FakeProviders, providerRowsOf } from "../support/fake-providers";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { emptyStore, testDatabaseUrl } from "../support/test-database";

const read = (file: string) => readFileSync(path.join(SHARED_DATA_DIR, file), "utf8");
const MARCH = binanceDumpRows(read("binance-raw/BTCUSDT-1h-2023-03.csv"));
const MINUTES = providerRowsOf(read("BTCUSDT-1m.csv")).slice(0, 3_000);

/** Starts the built `candela backfill` against the fake provider. */
const candela = (fake: FakeProviders, args: string[]) =>
  startCommand(process.execPath, ["dist/src/cli/candela.js", "backfill", ...args], {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(),
    LOG_LEVEL: "warn",
    CANDELA_BINANCE_URL: fake.url,
    CANDELA_BINANCE_STREAM_URL: fake.streamUrl,
  });

describe("candela backfill", () => {
  let fake: FakeProviders;
  let pool: Pool;
  const count = async (symbol: string, timeframe: string) => (await pool.query("SELECT count(*)::int AS n FROM bar WHERE symbol = $1 AND timeframe = $2", [symbol, timeframe])).rows[0].n as number;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    fake = await FakeProviders.start();
    fake.setBinanceSeries("BTCUSDT", "1h", MARCH);
    fake.setBinanceSeries("BTCUSDT", "1m", MINUTES);
  });
  afterAll(async () => {
    await fake.close();
    await emptyStore(pool);
    await pool.end();
  });

  it("stores a month of klines, confirms the outage hour, and fetches nothing the second time", async () => {
    const args = ["--symbol", "BTCUSDT", "--timeframe", "1h", "--from", "2023-03-01", "--to", "2023-03-31T23:00Z", "--provider", "binance"];
    const first = await candela(fake, args).exited;
    expect(first).toMatchObject({ status: 0, stderr: "" });
    expect(first.stdout).toMatch(/BTCUSDT 1h from binance: SUCCEEDED/);
    expect(first.stdout).toMatch(/fetched\s+743/);
    expect(first.stdout).toMatch(/confirmed gaps\s+1 /);
    expect(await count("BTCUSDT", "1h")).toBe(743);
    fake.requests.length = 0;
    const second = await candela(fake, args).exited;
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/missing bars\s+0/);
    expect(fake.requests).toEqual([]);
  });

  it("refuses an unknown provider with exit code 2 and a message naming the configured ones", async () => {
    const run = await candela(fake, ["--symbol", "BTCUSDT", "--timeframe", "1h", "--from", "2023-03-01", "--provider", "kraken"]).exited;
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/candela backfill \[BAD_USER_INPUT\]: Unknown provider "kraken". Use one of: binance/);
  });

  it("stops on SIGINT with exit code 130, keeps what it stored, and resumes to every bar when run again", async () => {
    const args = ["--symbol", "BTCUSDT", "--timeframe", "1m", "--from", new Date(MINUTES[0].openTime).toISOString(), "--to", new Date(MINUTES[MINUTES.length - 1].openTime).toISOString(), "--provider", "binance"];
    fake.requests.length = 0;
    // The second page takes 5 s: the command is interrupted while waiting for it.
    fake.faults.push({ kind: "delay", ms: 0 }, { kind: "delay", ms: 5_000 });
    const run = candela(fake, args);
    await eventually(() => fake.requests.length >= 2, 20_000, "the second page to be asked for");
    run.interrupt();
    const interrupted = await run.exited;
    expect(interrupted.status).toBe(130);
    expect(interrupted.stdout).toMatch(/INTERRUPTED[^]*Run the same command again to resume/);
    expect(await count("BTCUSDT", "1m")).toBe(1_000);
    const resumed = await candela(fake, args).exited;
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/missing bars\s+2000/);
    expect(await count("BTCUSDT", "1m")).toBe(3_000);
  });
});
