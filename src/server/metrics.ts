import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Pool } from "pg";
import type { ApiKeyLookup } from "../access/api-key-cache";
import type { CacheStats, TierStats } from "../features/ports/query-cache";
import { CIRCUIT_STATES, type BreakerCounts, type CircuitState } from "../resilience/circuit-breaker";

/** A cache whose counters are exported; `refreshStats` (when present) is awaited on each scrape. */
export interface CacheStatsSource {
  stats(): CacheStats;
  refreshStats?(): Promise<CacheStats>;
}

/** A breaker whose state and outcomes are exported (GuardedDependency fits). */
export interface BreakerSource {
  readonly name: string;
  readonly state: CircuitState;
  counts(): BreakerCounts;
}

/** What `createMetricsRegistry` exports. */
export interface MetricsSources {
  /** Caches by name (the `cache` label), e.g. { query: queryCache }. */
  readonly caches?: Readonly<Record<string, CacheStatsSource>>;
  /** Breakers; each one's `name` is its `breaker` label. */
  readonly breakers?: readonly BreakerSource[];
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC) as candela_process_* etc. Default true. */
  readonly processMetrics?: boolean;
}

/**
 * A prom-client Registry exporting, on each scrape, the current numbers of the given caches and breakers
 * (mount `registry.metrics()` at /metrics with `registry.contentType`):
 * - `candela_cache_hits_total`, `candela_cache_misses_total`, `candela_cache_evictions_total` {cache, tier}
 *   and the gauges `candela_cache_entries`, `candela_cache_hit_ratio` {cache, tier}; tier is
 *   process | redis | total (no redis series for a cache without Redis);
 * - `candela_cache_redis_fallbacks_total` {cache}: Redis calls skipped or failed, answered from the process tier;
 * - `candela_circuit_breaker_state` {breaker, state}: 1 for the current state (closed | open | halfOpen), 0 otherwise;
 * - `candela_circuit_breaker_calls_total` {breaker, outcome}: outcome success | failure | timeout | rejected.
 * Counters mirror the sources' cumulative counts, which start at 0 with the process.
 */
export function createMetricsRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  const caches = Object.entries(sources.caches ?? {});
  const breakers = sources.breakers ?? [];
  if (sources.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "candela_" });

  /** Reads every cache's stats once per scrape (awaiting refreshStats where offered). */
  const readCaches = async () =>
    Promise.all(caches.map(async ([name, cache]) => ({ name, stats: cache.refreshStats ? await cache.refreshStats() : cache.stats() })));
  const tiers = (stats: CacheStats): [string, TierStats][] => [
    ["process", stats.process],
    ...(stats.redis === null ? [] : ([["redis", stats.redis]] as [string, TierStats][])),
    ["total", stats.total],
  ];
  const tierCounter = (name: string, help: string, pick: (tier: TierStats) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["cache", "tier"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { name: cache, stats } of await readCaches()) for (const [tier, numbers] of tiers(stats)) this.inc({ cache, tier }, pick(numbers));
      },
    });
  const tierGauge = (name: string, help: string, pick: (tier: TierStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["cache", "tier"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { name: cache, stats } of await readCaches()) for (const [tier, numbers] of tiers(stats)) this.set({ cache, tier }, pick(numbers));
      },
    });

  tierCounter("candela_cache_hits_total", "Cache lookups answered, by tier (total: by any tier).", (tier) => tier.hits);
  tierCounter("candela_cache_misses_total", "Cache lookups not answered, by tier (total: by no tier).", (tier) => tier.misses);
  tierCounter("candela_cache_evictions_total", "Cache entries dropped for capacity (not expiry or invalidation).", (tier) => tier.evictions);
  tierGauge("candela_cache_entries", "Cache entries held, by tier (the Redis tier's is sampled).", (tier) => tier.size);
  tierGauge("candela_cache_hit_ratio", "Cache hits / lookups since start, by tier (0 before the first lookup).", (tier) => tier.hitRate);
  new Counter({
    name: "candela_cache_redis_fallbacks_total",
    help: "Cache calls that skipped or failed Redis (breaker open, timeout, connection error) and used the process tier alone.",
    labelNames: ["cache"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { name: cache, stats } of await readCaches()) this.inc({ cache }, stats.redisFallbacks);
    },
  });

  new Gauge({
    name: "candela_circuit_breaker_state",
    help: "1 for the breaker's current state (closed, open, halfOpen), 0 for the others.",
    labelNames: ["breaker", "state"],
    registers: [registry],
    collect() {
      for (const breaker of breakers) for (const state of CIRCUIT_STATES) this.set({ breaker: breaker.name, state }, breaker.state === state ? 1 : 0);
    },
  });
  new Counter({
    name: "candela_circuit_breaker_calls_total",
    help: "Calls through each breaker by outcome: success, failure (errors and timeouts), timeout, rejected (breaker open).",
    labelNames: ["breaker", "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const breaker of breakers) {
        const counts = breaker.counts();
        this.inc({ breaker: breaker.name, outcome: "success" }, counts.successes);
        this.inc({ breaker: breaker.name, outcome: "failure" }, counts.failures);
        this.inc({ breaker: breaker.name, outcome: "timeout" }, counts.timeouts);
        this.inc({ breaker: breaker.name, outcome: "rejected" }, counts.rejections);
      }
    },
  });
  return registry;
}

/**
 * API key lookups in Prometheus: `candela_api_key_lookups_total{source}` (cache | store | stale: remembered past its
 * lifetime while PostgreSQL was down or slow) and the gauge `candela_api_key_cache_entries`.
 */
export function registerApiKeyMetrics(registry: Registry, lookup: ApiKeyLookup): void {
  new Counter({
    name: "candela_api_key_lookups_total",
    help: "API key lookups by how they were answered: cache, store, or stale (remembered past its lifetime during an outage).",
    labelNames: ["source"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [source, count] of Object.entries(lookup.lookups())) this.inc({ source }, count);
    },
  });
  new Gauge({
    name: "candela_api_key_cache_entries",
    help: "API keys and unknown key prefixes remembered by this server.",
    registers: [registry],
    collect() {
      this.set(lookup.size);
    },
  });
}

/**
 * The database's metrics: `candela_db_pool_connections{pool,state}` (state total | idle | waiting: clients waiting
 * for a connection) for each pool, and `candela_feature_values_materialized_total`, the feature values written to the
 * offline store (counted when their transaction commits).
 * @returns the function to call with each committed write's count of values
 */
export function registerDatabaseMetrics(registry: Registry, pools: Readonly<Record<string, Pool>>): (valuesWritten: number) => void {
  new Gauge({
    name: "candela_db_pool_connections",
    help: "PostgreSQL pool connections by pool and state (total, idle, waiting clients).",
    labelNames: ["pool", "state"],
    registers: [registry],
    collect() {
      for (const [name, pool] of Object.entries(pools)) {
        this.set({ pool: name, state: "total" }, pool.totalCount);
        this.set({ pool: name, state: "idle" }, pool.idleCount);
        this.set({ pool: name, state: "waiting" }, pool.waitingCount);
      }
    },
  });
  const materialized = new Counter({
    name: "candela_feature_values_materialized_total",
    help: "Feature values written to the offline store.",
    registers: [registry],
  });
  return (valuesWritten) => materialized.inc(valuesWritten);
}
