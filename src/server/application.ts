import type { RequestListener, Server } from "node:http";
import type { Registry } from "prom-client";
import { ApiKeyLookup } from "../access/api-key-cache";
import { ApiKeyService } from "../access/api-key.service";
import { buildCandelaSchema } from "../graphql/schema";
import { createCacheAdapters, type CacheAdapters } from "../store/cache-adapters";
import { createEventBuses } from "../store/event-buses";
import type { Database } from "../store/postgres/database";
import { createStoreAdapters, type StoreAdapters } from "../store/store-adapters";
import { createComputationGuard } from "../resilience/computation-guard";
import { attachGraphQLWebSocket } from "./graphql-websocket";
import { createHealthProbe } from "./health-probe";
import { createHttpApp, GRAPHQL_PATH } from "./http-app";
import { type RateLimitSettings, RequestRateLimits } from "./rate-limits";
import { registerLiveMetrics } from "./live-metrics";
import type { Logger } from "./logger";
import type { LiveSeriesView } from "../features/live/live-series-source";
import { createMetricsRegistry, registerApiKeyMetrics, registerDatabaseMetrics } from "./metrics";
import { createServices } from "./services";
import type { QueryLimits } from "../graphql/query-limits";
import type { InstrumentClosures } from "../domain/trading-calendar";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { LiveIngestService } from "../ingest/live-ingest.service";
import { closeRedisClient, createRedisClient } from "../store/redis/redis-client";
import { IngestStreamConsumer } from "../store/redis/ingest-stream-consumer";
import { createProviders, type ProviderSettings } from "../providers/providers";
import { WatchlistService } from "../ingest/watchlist.service";
import { readWatchlistFile } from "./watchlist-file";

/** What one Candela application is built on. */
export interface ApplicationOptions {
  /** The connected, migrated database. */
  readonly database: Database;
  /** REDIS_URL; undefined for the in-process cache, online store and event bus. */
  readonly redisUrl?: string;
  /** Lifetime of a cached query result in Redis, ms. */
  readonly cacheTtlMs?: number;
  /** Closed days configured per instrument (CANDELA_CLOSURES_FILE). */
  readonly closures?: InstrumentClosures;
  /** The Redis Stream of live bars to consume (with `redisUrl`); default "candela:ingest". */
  readonly ingestStream?: string;
  /** How long another consumer's unacknowledged stream entries wait before this one claims them, ms (default 30 s). */
  readonly ingestClaimIdleMs?: number;
  /** Serve queries without an API key. */
  readonly allowAnonymousReads: boolean;
  readonly logger: Logger;
  /** Query depth, alias, token, directive and cost limits; undefined turns them off. */
  readonly queryLimits: QueryLimits | undefined;
  /** Longest feature or indicator computation before it is stopped, ms (default 30 s). */
  readonly computationTimeoutMs?: number;
  /** Closed bars a live series advances between two checkpoints of its streaming state (default 100). */
  readonly checkpointEveryBars?: number;
  /** Export Node's process metrics (default true; tests turn them off). */
  readonly processMetrics?: boolean;
  /** Request budgets per API key and per address (in Redis with `redisUrl`); undefined: no rate limits. */
  readonly rateLimits?: RateLimitSettings;
  /** Token /metrics asks for (CANDELA_METRICS_TOKEN). */
  readonly metricsToken?: string;
  /** How long a verified API key is remembered, ms (default 30 s; revocations reach every server at once). */
  readonly apiKeyCacheMs?: number;
  /** The market-data providers (backfill, watchlist); undefined: none (backfills are refused). */
  readonly providers?: ProviderSettings;
  /** CANDELA_WATCHLIST_FILE: the series to keep live from the providers. */
  readonly watchlistFile?: string;
}

/** Default lifetime of a remembered API key, ms. */
export const DEFAULT_API_KEY_CACHE_MS = 30_000;

/** One Candela instance's request handling, before it listens on a port. */
export interface Application {
  /** The HTTP request listener: GraphQL, GraphiQL, health, metrics. */
  readonly listener: RequestListener;
  readonly stores: StoreAdapters;
  readonly caches: CacheAdapters;
  readonly apiKeys: ApiKeyService;
  readonly metrics: Registry;
  /** Serves GraphQL over WebSockets (subscriptions) on `server`, the one `listener` is mounted on. */
  attachWebSockets(server: Server): void;
  /** Stops everything this application started (not the database: its owner closes it). */
  close(): Promise<void>;
}

/**
 * Composes one Candela instance over a database: the store adapters (every call behind the PostgreSQL breaker),
 * the query cache, online store and event buses (Redis, or in-process), the computation breaker, the services
 * with the live materializer (listening for committed bar changes), the schema, the HTTP app and the WebSocket
 * endpoint. Used by the server and by the tests alike.
 */
export async function createApplication(options: ApplicationOptions): Promise<Application> {
  const { database, logger } = options;
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch((error) => logger.error({ err: error }, "shutdown step failed"));
  };
  try {
    const onBreakerStateChange = (change: object) => logger.warn(change, "circuit breaker changed state");
    // Metrics exist only once the registry does (below); the stores report to them from then on.
    let valuesMaterialized: (count: number) => void = () => undefined;
    const stores = createStoreAdapters(database, {
      onValuesWritten: (count) => valuesMaterialized(count),
      closures: options.closures,
      onWriteFailure: (error) => logger.warn({ err: error }, "offline store write failed; values will be recomputed"),
      onBreakerStateChange,
      barChangeEvents: {
        onDisconnected: (error) => logger.warn({ err: error }, "lost the bar-change listener's connection; reconnecting"),
        onMalformed: (error) => logger.error({ err: error }, "malformed bar change notice"),
      },
    });
    cleanups.push(() => stores.close());
    const onRedisEvent = (connection: string, event: object) => logger.debug({ connection, event }, "redis connection event");
    const caches = await createCacheAdapters({ redisUrl: options.redisUrl, redisTtlMs: options.cacheTtlMs, onBreakerStateChange, onRedisEvent });
    cleanups.push(() => caches.close());
    const events = createEventBuses({
      redisUrl: options.redisUrl,
      onFailure: (error) => logger.warn({ err: error }, "live event not delivered over Redis"),
      onRedisEvent,
    });
    cleanups.push(() => events.close());
    logger.info({ mode: caches.mode }, "query cache, online store and event bus ready");
    const providers = options.providers === undefined ? { providers: new Map(), breakers: [] } : createProviders(options.providers, {
      onBreakerStateChange,
      onRetry: (retry) => logger.info(retry, "retrying a market-data provider call"),
      onWeightPause: (provider, usedWeight, waitMs) => logger.warn({ provider, usedWeight, waitMs }, "provider request weight near its limit; waiting for the next minute"),
    });
    for (const breaker of providers.breakers) cleanups.push(() => breaker.shutdown());
    const computation = createComputationGuard({ timeoutMs: options.computationTimeoutMs, onStateChange: onBreakerStateChange });
    cleanups.push(() => computation.breaker.shutdown());
    const breakers = [stores.databaseBreaker, computation.breaker, ...caches.breakers, ...providers.breakers];
    const liveChecks = [
      () => ({ name: "notification-listener", healthy: stores.notifications.listening, detail: stores.notifications.listening ? "listening" : "reconnecting" }),
    ];
    const health = createHealthProbe(database.pool, breakers, liveChecks);
    const metrics = createMetricsRegistry({ caches: { query: caches.queryCache }, breakers, processMetrics: options.processMetrics });
    valuesMaterialized = registerDatabaseMetrics(metrics, { queries: database.pool, locks: database.lockingPool });
    let liveSeries: () => readonly LiveSeriesView[] = () => [];
    const live = registerLiveMetrics(metrics, () => liveSeries());
    const services = createServices({
      stores,
      caches,
      events: { shared: live.counting(events.shared), local: live.counting(events.local) },
      health,
      guardComputation: computation.guard,
      checkpointEveryBars: options.checkpointEveryBars,
      providers: providers.providers,
      observer: {
        ...live,
        storeFailed: (store, error) => {
          live.storeFailed(store, error);
          logger.warn({ err: error, store }, "live materializer could not write a store");
        },
      },
    });
    liveSeries = () => services.materializer.series;
    cleanups.push(() => services.close());
    if (options.redisUrl !== undefined) {
      const consumer = startIngestStream(
        { redisUrl: options.redisUrl, stream: options.ingestStream ?? "candela:ingest", claimIdleMs: options.ingestClaimIdleMs },
        services.ingest,
        logger,
        onRedisEvent,
        () => live.barsRejected(1),
      );
      cleanups.push(() => consumer.stop());
      liveChecks.push(() => ({ name: "ingest-stream", healthy: consumer.healthy, detail: consumer.healthy ? "consuming" : "not reading" }));
    }
    await stores.notifications.start();
    if (options.watchlistFile !== undefined) {
      const watchlist = new WatchlistService(readWatchlistFile(options.watchlistFile, [...providers.providers.keys()]), {
        providers: providers.providers,
        backfill: services.backfill,
        ingest: services.ingest,
        leases: stores.leases,
        reader: stores.reader,
        registry: services.registry,
        activate: (symbol, timeframe, calendar, definitions) => services.materializer.activate(symbol, timeframe, calendar, definitions),
        events: {
          onLeading: (series) => logger.info({ series }, "watchlist: this server leads the series (catch-up, feed, repairs)"),
          onBackfilled: (series, reason, job) => logger.info({ series, reason, job: job.id, status: job.status, stored: job.barsStored, confirmedMissing: job.confirmedMissingBars }, "watchlist backfill ended"),
          onError: (series, error) => logger.warn({ err: error, series }, "watchlist series failed; retrying"),
        },
      });
      watchlist.start();
      cleanups.push(() => watchlist.close());
    }
    const schema = await buildCandelaSchema(services.graphql);
    const keyLookup = new ApiKeyLookup(stores.apiKeys, options.apiKeyCacheMs ?? DEFAULT_API_KEY_CACHE_MS, stores.notifications);
    const apiKeys = new ApiKeyService(stores.apiKeys, Date.now, keyLookup);
    registerApiKeyMetrics(metrics, keyLookup);
    const rateLimits = options.rateLimits === undefined ? undefined : startRateLimits(options.rateLimits, options.redisUrl, onRedisEvent, cleanups);
    const { listener, apollo } = await createHttpApp({
      schema,
      reader: stores.reader,
      live: services.live,
      logger,
      health,
      metrics,
      apiKeys,
      exports: services.exports,
      joins: services.pointInTime,
      allowAnonymousReads: options.allowAnonymousReads,
      queryLimits: options.queryLimits,
      rateLimits,
      metricsToken: options.metricsToken,
    });
    cleanups.push(() => apollo.stop());
    return {
      listener,
      stores,
      caches,
      apiKeys,
      metrics,
      attachWebSockets(server) {
        const detach = attachGraphQLWebSocket(server, {
          schema,
          reader: stores.reader,
          live: services.live,
          apiKeys,
          allowAnonymousReads: options.allowAnonymousReads,
          logger,
          path: GRAPHQL_PATH,
          queryLimits: options.queryLimits,
        });
        // Before Apollo and the stores: open subscriptions end first.
        cleanups.push(detach);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The rate limits, in Redis on a connection of their own when there is one (closed by `cleanups`), else in-process. */
function startRateLimits(
  settings: RateLimitSettings,
  redisUrl: string | undefined,
  onRedisEvent: (connection: string, event: object) => void,
  cleanups: (() => void | Promise<void>)[],
): RequestRateLimits {
  if (redisUrl === undefined) return new RequestRateLimits(settings);
  const redis = createRedisClient(redisUrl, { connectionName: "candela-rate-limits", onEvent: (event) => onRedisEvent("candela-rate-limits", event) });
  cleanups.push(() => closeRedisClient(redis));
  return new RequestRateLimits(settings, redis);
}

/** Starts this instance's consumer of the ingest stream on a Redis connection of its own. */
function startIngestStream(
  { redisUrl, stream, claimIdleMs }: { readonly redisUrl: string; readonly stream: string; readonly claimIdleMs?: number },
  ingest: LiveIngestService,
  logger: Logger,
  onRedisEvent: (connection: string, event: object) => void,
  onRejected: () => void,
): { stop(): Promise<void>; readonly healthy: boolean } {
  const redis = createRedisClient(redisUrl, { connectionName: "candela-ingest", onEvent: (event) => onRedisEvent("candela-ingest", event) });
  const consumer = new IngestStreamConsumer({
    redis,
    stream,
    group: "candela",
    consumer: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    claimIdleMs,
    ingest,
    onEvent: (event) => {
      if (event.kind === "dead-lettered") {
        onRejected();
        logger.warn({ stream, entry: event.id, reason: event.reason }, "ingest stream entry rejected to the dead-letter stream");
      }
      else if (event.kind === "failed") logger.warn({ err: event.error, stream }, "ingest stream round failed; its entries stay pending and are retried");
      else if (event.kind === "claimed") logger.info({ stream, entries: event.entries }, "claimed entries left pending by another consumer");
    },
  });
  consumer.start();
  return {
    get healthy() {
      return consumer.healthy;
    },
    async stop() {
      await consumer.stop();
      await closeRedisClient(redis);
    },
  };
}
