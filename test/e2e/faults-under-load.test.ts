import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { Scope } from "../../src/access/api-key";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { ensureDatabaseExists } from "../../src/store/postgres/database-creation";
import { embeddedDatabaseUrl } from "../../src/store/postgres/embedded-database";
import { applyMigrations } from "../../src/store/postgres/migrations";
import { dedicatedPostgres } from "../support/dedicated-postgres";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";
import { startTestServer, type TestServer } from "../support/test-server";

const PG_PORT = 5_498;
/** How long each fault lasts under load, ms. */
const FAULT_MS = 4_000;
/** Documented recovery bound after a dependency returns, ms (README, Resilience). */
const RECOVERY_MS = 15_000;

/** The keyed load: every query a strategy makes, each with its answer before any fault. */
const QUERIES: Record<string, string> = {
  bars: `{ bars(symbol: "BTCUSDT", timeframe: H1, from: "2024-03-01T00:00:00Z", first: 50) { nodes { openTime open high low close volume } } }`,
  features: `{ features(symbol: "BTCUSDT", timeframe: H1, from: "2024-03-01T00:00:00Z", to: "2024-03-03T00:00:00Z", features: ["rsi_14", "ema_20"]) { openTimes features { values } } }`,
  latestFeatures: `{ latestFeatures(symbols: ["BTCUSDT"], timeframe: H1, features: ["rsi_14", "ema_20"]) { symbol openTime values { feature value status } } }`,
  indicators: `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "2024-03-01T00:00:00Z", to: "2024-03-02T00:00:00Z", specs: [{ indicator: "macd" }]) { openTimes results { outputs { name values } } } }`,
};

/** What a request under load got. */
interface Outcome {
  readonly query: string;
  readonly status: number;
  readonly codes: string[];
  readonly data: unknown;
}

/**
 * Faults under a steady load of keyed requests (production mode: anonymous reads off), against a dedicated
 * redis-server and a dedicated PostgreSQL that the test stops and restarts: with Redis down every query keeps
 * answering correctly (latestFeatures included); with PostgreSQL down every answer is the right value (cached, or
 * stale with its asOf) or UNAVAILABLE, never a wrong value or a 5xx other than the documented 503; both recover within
 * RECOVERY_MS of the dependency's return.
 */
describe("faults under load", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "candela-faults-"));
  chmodSync(folder, 0o777);
  const postgres = dedicatedPostgres(path.join(folder, "postgres"), PG_PORT);
  let redis: DedicatedRedis;
  let server: TestServer;
  let key: string;
  const baseline = new Map<string, unknown>();

  /** Runs `workers` loops sending the queries round-robin until `durationMs` has passed. */
  async function load(durationMs: number, workers = 3): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const names = Object.keys(QUERIES);
    const until = Date.now() + durationMs;
    await Promise.all(
      Array.from({ length: workers }, async (_unused, worker) => {
        for (let index = worker; Date.now() < until; index++) {
          const query = names[index % names.length];
          const response = await postGraphQL(`${server.url}/graphql`, QUERIES[query], {}, { apiKey: key });
          outcomes.push({ query, status: response.status, codes: (response.errors ?? []).map((error) => String(error.extensions?.code)), data: response.data });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }),
    );
    return outcomes;
  }

  /** Outcomes that are neither the baseline answer nor (when allowed) UNAVAILABLE. */
  function wrong(outcomes: Outcome[], unavailableAllowed: boolean): Outcome[] {
    return outcomes.filter((outcome) => {
      if (outcome.codes.length === 0) return JSON.stringify(outcome.data) !== JSON.stringify(baseline.get(outcome.query));
      return !(unavailableAllowed && outcome.codes.every((code) => code === "UNAVAILABLE") && (outcome.status === 200 || outcome.status === 503));
    });
  }

  beforeAll(async () => {
    await postgres.start();
    const url = embeddedDatabaseUrl(path.join(folder, "postgres"), PG_PORT)!;
    await ensureDatabaseExists(url);
    const pool = new Pool({ connectionString: url });
    await applyMigrations(pool);
    await importCsvFile(postgresBarImportStore(pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    await pool.end();
    redis = await startDedicatedRedis(6480);
    server = await startTestServer({ databaseUrl: url, redisUrl: redis.url, allowAnonymousReads: false });
    key = (await server.apiKeys.create("faults reader", [Scope.READ])).key;
    for (const input of [`{ name: "rsi_14", indicator: "rsi" }`, `{ name: "ema_20", indicator: "ema", parameters: [{ name: "period", value: 20 }] }`]) {
      const registered = await postGraphQL(`${server.url}/graphql`, `mutation { registerFeature(input: ${input}) { created } }`, {}, { apiKey: server.adminKey });
      expect(registered.errors).toBeUndefined();
    }
    for (const [name, query] of Object.entries(QUERIES)) {
      const answer = await postGraphQL(`${server.url}/graphql`, query, {}, { apiKey: key });
      expect([name, answer.errors]).toEqual([name, undefined]);
      baseline.set(name, answer.data);
    }
  }, 180_000);

  afterAll(async () => {
    await server?.close().catch(() => undefined);
    await redis?.stop();
    await postgres.stop();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it("answers every query correctly while Redis is down, and after it returns", async () => {
    const steady = await load(1_500);
    expect(wrong(steady, false)).toEqual([]);

    await redis.stop();
    const during = await load(FAULT_MS);
    expect(during.filter((outcome) => outcome.query === "latestFeatures").length).toBeGreaterThan(10);
    expect(wrong(during, false)).toEqual([]);

    await redis.start();
    const after = await load(2_000);
    expect(wrong(after, false)).toEqual([]);
  }, 60_000);

  it("answers right values or UNAVAILABLE while PostgreSQL is down, never a wrong value, and recovers", async () => {
    await postgres.stop();
    const during = await load(FAULT_MS);
    expect(wrong(during, true)).toEqual([]);
    // The remembered key keeps the keyed client served: cached answers flow during the outage.
    expect(during.filter((outcome) => outcome.codes.length === 0).length).toBeGreaterThan(0);

    await postgres.start();
    const restarted = Date.now();
    await eventually(async () => {
      const probe = await load(300, 1);
      return probe.every((outcome) => outcome.codes.length === 0);
    }, RECOVERY_MS, "every query answered again");
    expect(Date.now() - restarted).toBeLessThan(RECOVERY_MS);
    expect(wrong(await load(1_500), false)).toEqual([]);
  }, 90_000);
});
