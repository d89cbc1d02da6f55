import type { CacheStats, QueryCache } from "../features/ports/query-cache";
import type { OnlineFeatureStore } from "../features/ports/online-feature-store";
import { createCircuitBreaker, type CircuitBreakerOptions, type CircuitStateChange, type GuardedDependency } from "../resilience/circuit-breaker";
import { MemoryOnlineFeatureStore } from "./memory/memory-online-store";
import type { ProcessTierOptions } from "./memory/process-cache-tier";
import { ProcessQueryCache } from "./memory/process-query-cache";
import { closeRedisClient, createRedisClient, waitUntilReady, type RedisConnectionEvent } from "./redis/redis-client";
import { RedisOnlineFeatureStore } from "./redis/redis-online-store";
import { RedisQueryCache } from "./redis/redis-query-cache";

/** The query cache and online store of one server, over Redis or in-process. */
export interface CacheAdapters {
  /** "redis" with REDIS_URL (even while Redis is down: it degrades and recovers), "process" without. */
  readonly mode: "redis" | "process";
  /** The query cache; `refreshStats` samples the Redis tier's size (for /metrics and cacheStats). */
  readonly queryCache: QueryCache & { refreshStats(): Promise<CacheStats> };
  readonly onlineStore: OnlineFeatureStore;
  /** The breakers in front of Redis ("redis-cache", "redis-online"), for health and metrics; empty without Redis. */
  readonly breakers: readonly GuardedDependency[];
  /** Closes the Redis connections and stops the breakers' timers. */
  close(): Promise<void>;
}

/** What `createCacheAdapters` needs. */
export interface CacheAdapterOptions {
  /** REDIS_URL; undefined for the in-process cache and online store. */
  readonly redisUrl?: string;
  /** Bounds and TTL of the process tier. */
  readonly process?: ProcessTierOptions;
  /** TTL of Redis cache entries, ms. Default 600000. */
  readonly redisTtlMs?: number;
  /** Breaker settings (timeout, reset, thresholds) for both breakers. */
  readonly breaker?: Omit<CircuitBreakerOptions, "onStateChange">;
  /** Longest wait for Redis at start, ms; the server starts degraded after it. Default 2000. */
  readonly connectWaitMs?: number;
  /** Called on breaker state changes (log them). */
  readonly onBreakerStateChange?: (change: CircuitStateChange) => void;
  /** Called on Redis connection events, with the connection's name ("candela" or "candela-subscriber"). */
  readonly onRedisEvent?: (connection: string, event: RedisConnectionEvent) => void;
}

/**
 * Builds the query cache and online store (DESIGN.md, Storage): with a Redis URL, the two-tier cache and
 * the Redis online store over one command connection (plus one subscriber connection for cross-instance
 * invalidations), each behind its own breaker; without, the in-process cache and online store.
 * Never throws for an unreachable Redis: waits up to `connectWaitMs`, then starts degraded.
 */
export async function createCacheAdapters(options: CacheAdapterOptions = {}): Promise<CacheAdapters> {
  if (options.redisUrl === undefined) {
    const queryCache = new ProcessQueryCache(options.process);
    return {
      mode: "process",
      queryCache: Object.assign(queryCache, { refreshStats: async () => queryCache.stats() }),
      onlineStore: new MemoryOnlineFeatureStore(),
      breakers: [],
      close: async () => undefined,
    };
  }
  const redis = createRedisClient(options.redisUrl, { connectionName: "candela", onEvent: (event) => options.onRedisEvent?.("candela", event) });
  const subscriber = createRedisClient(options.redisUrl, {
    connectionName: "candela-subscriber",
    onEvent: (event) => options.onRedisEvent?.("candela-subscriber", event),
  });
  await Promise.all([waitUntilReady(redis, options.connectWaitMs ?? 2_000), waitUntilReady(subscriber, options.connectWaitMs ?? 2_000)]);
  const breakerOptions = { ...options.breaker, onStateChange: options.onBreakerStateChange };
  const cacheBreaker = createCircuitBreaker("redis-cache", breakerOptions);
  const onlineBreaker = createCircuitBreaker("redis-online", breakerOptions);
  const queryCache = new RedisQueryCache({ redis, subscriber, breaker: cacheBreaker, process: options.process, redisTtlMs: options.redisTtlMs });
  return {
    mode: "redis",
    queryCache,
    onlineStore: new RedisOnlineFeatureStore({ redis, breaker: onlineBreaker }),
    breakers: [cacheBreaker, onlineBreaker],
    close: async () => {
      await queryCache.close();
      cacheBreaker.shutdown();
      onlineBreaker.shutdown();
      await Promise.all([closeRedisClient(redis), closeRedisClient(subscriber)]);
    },
  };
}
