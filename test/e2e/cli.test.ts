/**
 * The built `candela` command end to end: help without side effects, deleting a mistaken import, and imports
 * interrupted by SIGINT and SIGKILL, which leave all or nothing and let go of PostgreSQL at once.
 */
import { spawn, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { Pool } from "pg";
import { loadSeries } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const CANDELA = "dist/src/cli/candela.js";
const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: "warn" };
const candela = (...args: string[]) => spawnSync(process.execPath, [CANDELA, ...args], { cwd: ROOT, env: environment, encoding: "utf8" });

/** A CSV of `copies` × the 50,000 BTCUSDT 1m bars, each copy 50,000 minutes after the one before (a large import). */
function largeFile(folder: ReturnType<typeof temporaryFolder>, copies: number): string {
  const series = loadSeries("BTCUSDT-1m.csv");
  const lines = ["ts,open,high,low,close,volume"];
  for (let copy = 0; copy < copies; copy++) {
    const shift = copy * series.length * 60_000;
    for (let row = 0; row < series.length; row++) {
      lines.push(`${series.openTime[row] + shift},${series.open[row]},${series.high[row]},${series.low[row]},${series.close[row]},${series.volume[row]}`);
    }
  }
  return folder.write(`large-${copies}.csv`, lines.join("\n"));
}

describe("the candela command", () => {
  let pool: Pool;
  const folder = temporaryFolder();
  const count = async (symbol: string) => (await pool.query("SELECT count(*)::int AS n FROM bar WHERE symbol = $1", [symbol])).rows[0].n as number;
  /** Statements of other connections on the test database, running now. */
  const running = async (text: string) =>
    (await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE $1", [`%${text}%`])).rows[0].n as number;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
  });
  afterAll(async () => {
    await pool.end();
    folder.cleanup();
  });

  it.each([[[]], [["serve"]], [["import"]], [["backfill"]], [["apply"]], [["materialize"]], [["bars"]], [["bars", "delete"]], [["keys"]], [["keys", "create"]], [["migrate"]], [["schema"]]])(
    "%j --help prints help and exits 0, doing nothing",
    (words) => {
      const schema = path.join(ROOT, "schema.graphql");
      const before = statSync(schema).mtimeMs;
      const run = spawnSync(process.execPath, [CANDELA, ...words, "--help"], { cwd: ROOT, env: { ...environment, PORT: "4777" }, encoding: "utf8", timeout: 20_000 });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: candela${words.map((word) => ` ${word}`).join("")}`));
      expect(statSync(schema).mtimeMs).toBe(before);
    },
  );

  it("deletes a mistaken range: a dry run first, a confirmation required without a terminal, then --yes", () => {
    const file = folder.write("small.csv", ["ts,open,high,low,close,volume", ...Array.from({ length: 10 }, (_, index) => `2024-01-01T0${index}:00:00Z,1,2,1,1.5,1`)].join("\n"));
    expect(candela("import", "--file", file, "--symbol", "MISTAKE", "--timeframe", "1h").status).toBe(0);
    const range = ["--symbol", "MISTAKE", "--timeframe", "1h", "--from", "2024-01-01T05:00:00Z", "--to", "2024-01-02"];
    const dryRun = candela("bars", "delete", ...range, "--dry-run");
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toMatch(/MISTAKE 1h: 5 bars from 2024-01-01T05:00:00.000Z to 2024-01-01T09:00:00.000Z/);
    const unconfirmed = candela("bars", "delete", ...range);
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toMatch(/candela bars delete \[BAD_USER_INPUT\]: stdin is not a terminal: pass --yes/);
    const deleted = candela("bars", "delete", ...range, "--yes");
    expect(deleted.stdout).toMatch(/deleted 5 bars/);
    expect(spawnSync(process.execPath, [CANDELA, "bars", "delete", ...range, "--yes"], { cwd: ROOT, env: environment, encoding: "utf8" }).stdout).toMatch(/nothing to delete/);
  });

  it("refuses hourly rows imported as 1m with exit code 2 and writes nothing", () => {
    const run = candela("import", "--file", path.join(ROOT, "../shared/data/BTCUSDT-1h.csv"), "--symbol", "HOURLY", "--timeframe", "1m");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/candela import \[BAD_USER_INPUT\]: The file does not fit --timeframe 1m: .*look like 1h bars/);
  });

  it("on SIGINT cancels the running statement at once, writes nothing and exits 130", async () => {
    const file = largeFile(folder, 8);
    const importer = spawn(process.execPath, [CANDELA, "import", "--file", file, "--symbol", "INTERRUPTED", "--timeframe", "1m"], { cwd: ROOT, env: environment });
    let stderr = "";
    importer.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => importer.once("exit", resolve));
    // A staging insert (one of 80), not the final upsert: the interruption lands while rows are still being staged.
    await eventually(async () => (await running("INSERT INTO bar_staging")) > 0, 30_000, "the import to stage rows");
    importer.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted; the running statement was cancelled and nothing was written/);
    expect(await count("INTERRUPTED")).toBe(0);
    expect(await running("bar_staging")).toBe(0);
  });

  it("after SIGKILL in its final upsert, leaves all or nothing and PostgreSQL lets go of the statement and the lock within seconds", async () => {
    const file = largeFile(folder, 8);
    const importer = spawn(process.execPath, [CANDELA, "import", "--file", file, "--symbol", "KILLED", "--timeframe", "1m"], { cwd: ROOT, env: environment });
    const exited = new Promise((resolve) => importer.once("exit", resolve));
    await eventually(async () => (await running("INSERT INTO bar (symbol")) > 0, 60_000, "the final upsert to run");
    importer.kill("SIGKILL");
    await exited;
    // client_connection_check_interval: the backend notices the dead client within a second.
    await eventually(async () => (await running("INSERT INTO bar (symbol")) === 0, 10_000, "PostgreSQL to drop the statement");
    await eventually(async () => (await pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0].n === 0, 10_000, "the series lock to be released");
    expect([0, 400_000]).toContain(await count("KILLED"));
  });
});
