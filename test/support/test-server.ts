import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Scope } from "../../src/access/api-key";
import { ApiKeyService } from "../../src/access/api-key.service";
import { buildCandelaSchema } from "../../src/graphql/schema";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "../../src/graphql/query-limits";
import { createHttpApp } from "../../src/server/http-app";
import { createLogger } from "../../src/server/logger";
import { connectDatabase, type Database } from "../../src/store/postgres/database";
import { createStoreAdapters } from "../../src/store/store-adapters";
import { createCacheAdapters } from "../../src/store/cache-adapters";
import { createComputationGuard } from "../../src/resilience/computation-guard";
import { createHealthProbe } from "../../src/server/health-probe";
import { createMetricsRegistry } from "../../src/server/metrics";
import { testDatabaseUrl } from "./test-database";

/** How to start the test server. */
export interface TestServerOptions {
  /** Serve queries without an API key (default true, like the embedded default, so most tests send no key). */
  readonly allowAnonymousReads?: boolean;
  /** Redis for the query cache and online store; default: the in-process ones. */
  readonly redisUrl?: string;
  /** PostgreSQL to use; default: the shared test database. */
  readonly databaseUrl?: string;
  /** Query limits replacing the defaults (DEFAULT_QUERY_LIMITS). */
  readonly queryLimits?: Partial<QueryLimits>;
  /** Computation timeout, ms; default the server's (30 s). */
  readonly computationTimeoutMs?: number;
  /** PostgreSQL statement_timeout of the server's connections, ms; default none. */
  readonly statementTimeoutMs?: number;
}

/** The HTTP app over the test database, listening on an ephemeral loopback port. */
export interface TestServer {
  readonly url: string;
  readonly database: Database;
  /** The server's key service: create or revoke keys for a test. */
  readonly apiKeys: ApiKeyService;
  /** Drops the cached query results of a symbol, as an import into this server's store should. */
  invalidateSymbol(symbol: string): Promise<number>;
  /** An admin key created for this server (deleted on close), for tests that send mutations. */
  readonly adminKey: string;
  close(): Promise<void>;
}

/** Starts the real HTTP application (Express + Apollo + the PostgreSQL adapter) for one test file. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = connectDatabase(options.databaseUrl ?? testDatabaseUrl(), { statementTimeoutMs: options.statementTimeoutMs });
  const adapters = createStoreAdapters(database);
  const apiKeys = new ApiKeyService(adapters.apiKeys);
  const admin = await apiKeys.create("test-server admin", [Scope.ADMIN]);
  const caches = await createCacheAdapters({ redisUrl: options.redisUrl });
  const computation = createComputationGuard({ timeoutMs: options.computationTimeoutMs });
  const breakers = [adapters.databaseBreaker, computation.breaker, ...caches.breakers];
  const health = createHealthProbe(database.pool, breakers);
  const metrics = createMetricsRegistry({ caches: { query: caches.queryCache }, breakers, processMetrics: false });
  const { listener, apollo } = await createHttpApp({
    schema: await buildCandelaSchema({ ...adapters, queryCache: caches.queryCache, onlineStore: caches.onlineStore, health, guardComputation: computation.guard }),
    reader: adapters.reader,
    health,
    metrics,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    apiKeys,
    allowAnonymousReads: options.allowAnonymousReads ?? true,
    queryLimits: { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
  });
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(listener).listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    apiKeys,
    adminKey: admin.key,
    invalidateSymbol: (symbol) => caches.queryCache.invalidateSeries(symbol),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
      await adapters.close();
      await caches.close();
      computation.breaker.shutdown();
      await database.pool.query("DELETE FROM api_key WHERE id = $1", [admin.apiKey.id]);
      await database.close();
    },
  };
}
