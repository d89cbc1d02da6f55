import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadSampleData } from "../ingest/sample-data";
import { providerSettingsOf, queryLimitsOf, rateLimitsOf, type Config } from "./config";
import { readClosuresFile } from "./closures-file";
import { openDatabase } from "./database-runtime";
import { createApplication } from "./application";
import { GRAPHQL_PATH } from "./http-app";
import type { Logger } from "./logger";
import { postgresBarImportStore } from "../store/offline/bar-import.session";

/** How long an idle keep-alive connection stays open, ms. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How often Node checks the request and headers timeouts of open connections, ms (its default, 30 s, lets a slow sender hold a socket that long past the limit). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** A running Candela server. */
export interface RunningServer {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly graphqlUrl: string;
  /** Stops accepting requests, then closes Apollo, the database pool and the embedded PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * Starts Candela: the database (embedded when DATABASE_URL is unset), migrations, the sample series when
 * the store has no bars (and CANDELA_LOAD_SAMPLES), then GraphQL over HTTP.
 * @throws Error when the database cannot be reached or the port is taken (everything started is stopped)
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => logger.error({ err: error }, "shutdown step failed"));
    cleanups.length = 0;
  };
  try {
    const runtime = await openDatabase(config, logger, { statementTimeoutMs: config.CANDELA_STATEMENT_TIMEOUT_MS });
    cleanups.push(() => runtime.close());
    const { database } = runtime;

    if (config.CANDELA_LOAD_SAMPLES && (await database.pool.query("SELECT 1 FROM bar LIMIT 1")).rowCount === 0) {
      logger.info({ directory: config.CANDELA_SAMPLE_DATA_DIR }, "store is empty: loading the sample series");
      for (const { series, summary } of await loadSampleData(postgresBarImportStore(database.pool), config.CANDELA_SAMPLE_DATA_DIR)) {
        logger.info(
          { file: series.file, symbol: series.symbol, inserted: summary.inserted, rejected: summary.rejected, gaps: summary.gaps.length },
          "sample series loaded",
        );
      }
    }

    const application = await createApplication({
      database,
      redisUrl: config.REDIS_URL,
      cacheTtlMs: config.CANDELA_CACHE_TTL_SECONDS * 1000,
      ingestStream: config.CANDELA_INGEST_STREAM,
      ingestClaimIdleMs: config.CANDELA_INGEST_CLAIM_IDLE_SECONDS * 1000,
      closures: config.CANDELA_CLOSURES_FILE === undefined ? undefined : readClosuresFile(config.CANDELA_CLOSURES_FILE),
      allowAnonymousReads: config.CANDELA_ALLOW_ANONYMOUS_READS,
      logger,
      queryLimits: queryLimitsOf(config),
      computationTimeoutMs: config.CANDELA_COMPUTATION_TIMEOUT_MS,
      checkpointEveryBars: config.CANDELA_CHECKPOINT_EVERY_BARS,
      rateLimits: rateLimitsOf(config),
      metricsToken: config.CANDELA_METRICS_TOKEN,
      apiKeyCacheMs: config.CANDELA_API_KEY_CACHE_SECONDS * 1000,
      providers: providerSettingsOf(config),
      watchlistFile: config.CANDELA_WATCHLIST_FILE,
    });
    cleanups.push(() => application.close());
    // Idle keep-alive connections live longer than a client's (undici: 4 s) and a load balancer's (often 60 s):
    // a server that closed first would race the client's next request on that socket ("other side closed").
    // Slow senders (a body trickling in byte by byte) are cut off by the request and headers timeouts, and
    // connections beyond the cap are closed at once, so sockets cannot be hoarded.
    const server: Server = createServer(
      {
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        requestTimeout: config.CANDELA_HTTP_REQUEST_TIMEOUT_MS,
        headersTimeout: Math.min(config.CANDELA_HTTP_HEADERS_TIMEOUT_MS, config.CANDELA_HTTP_REQUEST_TIMEOUT_MS),
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      },
      application.listener,
    );
    server.maxConnections = config.CANDELA_MAX_CONNECTIONS;
    server.listen(config.PORT, config.HOST);
    await once(server, "listening");
    application.attachWebSockets(server);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const graphqlUrl = `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${port}${GRAPHQL_PATH}`;
    logger.info(
      { url: graphqlUrl, anonymousReads: config.CANDELA_ALLOW_ANONYMOUS_READS },
      "Candela is serving GraphQL (open the URL in a browser for GraphiQL)",
    );
    return { graphqlUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
