import { Timeframe } from "../../../src/domain/timeframe";
import { seriesKey } from "../../../src/domain/series-key";
import type { CacheStats } from "../../../src/features/ports/query-cache";
import { createMetricsRegistry } from "../../../src/server/metrics";
import { createCircuitBreaker } from "../../../src/resilience/circuit-breaker";
import { ProcessQueryCache } from "../../../src/store/memory/process-query-cache";

describe("createMetricsRegistry", () => {
  it("exports cache counters per tier and breaker state in Prometheus text, current at each scrape", async () => {
    const cache = new ProcessQueryCache({ maxEntries: 1 });
    const breaker = createCircuitBreaker("redis-cache", { resetTimeoutMs: 60_000 });
    const tier = { hits: 4, misses: 1, hitRate: 0.8, evictions: 0, size: 7 };
    const twoTier = {
      refreshed: 0,
      stats: (): CacheStats => ({ process: tier, redis: { ...tier, size: 9 }, total: { ...tier, size: 16 }, redisFallbacks: 3 }),
      async refreshStats(): Promise<CacheStats> {
        this.refreshed++;
        return this.stats();
      },
    };
    try {
      const registry = createMetricsRegistry({ caches: { query: cache, shared: twoTier }, breakers: [breaker], processMetrics: false });
      await cache.set("a", 1, seriesKey("BTCUSDT", Timeframe.H1));
      await cache.set("b", 2, seriesKey("BTCUSDT", Timeframe.H1));
      await cache.get("b");
      await cache.get("a");

      let text = await registry.metrics();
      expect(text).toContain('candela_cache_hits_total{cache="query",tier="process"} 1');
      expect(text).toContain('candela_cache_misses_total{cache="query",tier="total"} 1');
      expect(text).toContain('candela_cache_evictions_total{cache="query",tier="process"} 1');
      expect(text).toContain('candela_cache_entries{cache="query",tier="process"} 1');
      expect(text).toContain('candela_cache_hit_ratio{cache="query",tier="process"} 0.5');
      expect(text).not.toContain('cache="query",tier="redis"');
      expect(text).toContain('candela_cache_entries{cache="shared",tier="redis"} 9');
      expect(text).toContain('candela_cache_redis_fallbacks_total{cache="shared"} 3');
      expect(twoTier.refreshed).toBeGreaterThan(0);
      expect(text).toContain('candela_circuit_breaker_state{breaker="redis-cache",state="closed"} 1');
      expect(text).toContain('candela_circuit_breaker_state{breaker="redis-cache",state="open"} 0');
      expect(text).toContain("# TYPE candela_cache_hits_total counter");

      for (let index = 0; index < 3; index++) await breaker.run(() => Promise.reject(new Error("down"))).catch(() => undefined);
      await cache.get("a");
      text = await registry.metrics();
      expect(text).toContain('candela_circuit_breaker_state{breaker="redis-cache",state="open"} 1');
      expect(text).toContain('candela_circuit_breaker_calls_total{breaker="redis-cache",outcome="failure"} 3');
      expect(text).toContain('candela_cache_misses_total{cache="query",tier="process"} 2');
    } finally {
      breaker.shutdown();
    }
  });

  it("includes Node's process metrics by default", async () => {
    const text = await createMetricsRegistry({}).metrics();
    expect(text).toContain("candela_process_cpu_user_seconds_total");
  });
});
