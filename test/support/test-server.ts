import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Scope } from "../../src/access/api-key";
import type { ApiKeyService } from "../../src/access/api-key.service";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "../../src/graphql/query-limits";
import type { ProviderSettings } from "../../src/providers/providers";
import { createApplication } from "../../src/server/application";
import { createLogger } from "../../src/server/logger";
import { connectDatabase, type Database } from "../../src/store/postgres/database";
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
  /** Market-data providers (e.g. the fakes of test/support/fake-providers.ts); default none. */
  readonly providers?: ProviderSettings;
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

/** Starts the real application (HTTP and WebSocket, over the PostgreSQL adapter) for one test file. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = connectDatabase(options.databaseUrl ?? testDatabaseUrl(), { statementTimeoutMs: options.statementTimeoutMs });
  const application = await createApplication({
    database,
    redisUrl: options.redisUrl,
    allowAnonymousReads: options.allowAnonymousReads ?? true,
    queryLimits: { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits },
    computationTimeoutMs: options.computationTimeoutMs,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    processMetrics: false,
    providers: options.providers,
  });
  const admin = await application.apiKeys.create("test-server admin", [Scope.ADMIN]);
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(application.listener).listen(0, "127.0.0.1", () => resolve(listening));
  });
  application.attachWebSockets(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    apiKeys: application.apiKeys,
    adminKey: admin.key,
    invalidateSymbol: (symbol) => application.caches.queryCache.invalidateSeries(symbol),
    async close() {
      server.closeAllConnections();
      await application.close();
      await new Promise((resolve) => server.close(resolve));
      await database.pool.query("DELETE FROM api_key WHERE id = $1", [admin.apiKey.id]);
      await database.close();
    },
  };
}
