import path from "node:path";
import { Client, Pool } from "pg";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const FEATURES_QUERY = `query($from: DateTimeISO!) {
  features(symbol: "BTCUSDT", timeframe: H1, from: $from, to: "2025-05-05T23:00:00Z", features: ["rsi_14"]) { openTimes features { values } }
}`;

/**
 * A connection of the test's own holding the series lock of BTCUSDT (as an import would), so that a request
 * needing it waits in PostgreSQL: work that runs as long as the test wants, with a statement to cancel.
 */
async function holdSeriesLock(): Promise<{ pid: number; release(): Promise<void> }> {
  const holder = new Client({ connectionString: testDatabaseUrl() });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ["series/BTCUSDT"]);
  const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return {
    pid: rows[0].pid,
    async release() {
      await holder.query("ROLLBACK");
      await holder.end();
    },
  };
}

/** Statements of other sessions than `except` waiting for or running under a series lock, polled until none is left or ~5 s passed. */
async function lockStatementsLeft(server: TestServer, except: number): Promise<number> {
  let left = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 50 && left > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows } = await server.database.pool.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity
       WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND state = 'active' AND query LIKE '%pg_advisory_xact_lock%'`,
      [except],
    );
    left = Number(rows[0].count);
  }
  return left;
}

describe.each([
  // Timeouts small enough for a test, large enough for the next request's cold computation on a busy machine.
  ["the computation timeout cancels the work itself", { computationTimeoutMs: 2_000, statementTimeoutMs: 60_000 }, /feature computation .*timed out/],
  ["PostgreSQL's statement_timeout bounds a statement", { computationTimeoutMs: 60_000, statementTimeoutMs: 2_000 }, /database is unreachable \(statement timed out\)/],
])("%s", (_title, options, message) => {
  let server: TestServer;
  let graphqlUrl: string;

  beforeAll(async () => {
    server = await startTestServer(options);
    graphqlUrl = `${server.url}/graphql`;
    // The import runs unbounded, as the CLI's does: the server's statement timeout is for requests.
    const setup = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await emptyStore(setup);
    await importCsvFile(postgresBarImportStore(setup), {
      file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"),
      symbol: "BTCUSDT",
      timeframe: Timeframe.H1,
      skipInvalid: false,
    });
    await setup.end();
    const registered = await postGraphQL(graphqlUrl, `mutation { registerFeature(input: { name: "rsi_14", indicator: "rsi" }) { created } }`, {}, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
  });
  afterAll(() => server.close());

  it("answers UNAVAILABLE, leaves no statement running in PostgreSQL, and answers the next request at once", async () => {
    const lock = await holdSeriesLock();
    let released = false;
    try {
      const refused = await postGraphQL(graphqlUrl, FEATURES_QUERY, { from: "2025-01-01T00:00:00Z" });
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0].extensions?.code).toBe("UNAVAILABLE");
      expect(refused.errors![0].message).toMatch(message);
      expect(await lockStatementsLeft(server, lock.pid)).toBe(0);
      await lock.release();
      released = true;
      const answered: any = await postGraphQL(graphqlUrl, FEATURES_QUERY, { from: "2025-01-01T00:00:00Z" });
      expect(answered.errors).toBeUndefined();
      expect(answered.data.features.openTimes.length).toBeGreaterThan(2_000);
    } finally {
      if (!released) await lock.release();
    }
  });
});
