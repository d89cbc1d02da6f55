import { EventEmitter } from "node:events";
import type { CacheStats, QueryCache, SeriesChangeListener } from "../../features/ports/query-cache";
import { symbolOfSeriesKey } from "../../domain/series-key";
import { compileGlob } from "./cache-glob";
import { ProcessCacheTier, type ProcessTierOptions } from "./process-cache-tier";

/**
 * The query cache without Redis (no REDIS_URL): one bounded in-process LRU with TTL. Values make a JSON
 * round trip on `set`, so they come back exactly as the Redis-backed cache would return them.
 */
export class ProcessQueryCache implements QueryCache {
  private readonly tier: ProcessCacheTier;
  private readonly seriesChanges = new EventEmitter();

  constructor(options: ProcessTierOptions = {}) {
    this.tier = new ProcessCacheTier(options);
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.tier.get(key)?.value as T | undefined;
  }

  async set(key: string, value: unknown, seriesKey: string): Promise<void> {
    symbolOfSeriesKey(seriesKey);
    const json = JSON.stringify(value);
    if (json === undefined) return;
    this.tier.set(key, seriesKey, JSON.parse(json), json.length);
  }

  async invalidateSeries(symbol: string): Promise<number> {
    return this.forgetSeries(symbol);
  }

  async forgetSeries(symbol: string): Promise<number> {
    this.seriesChanges.emit("changed", symbol);
    return this.tier.deleteSymbol(symbol).length;
  }

  async invalidatePattern(glob: string): Promise<number> {
    const matcher = compileGlob(glob);
    this.seriesChanges.emit("changed", undefined);
    return this.tier.deleteMatching(matcher).length;
  }

  onSeriesChanged(listener: SeriesChangeListener): void {
    this.seriesChanges.on("changed", listener);
  }

  stats(): CacheStats {
    const process = this.tier.stats();
    return { process, redis: null, total: process, redisFallbacks: 0 };
  }
}
