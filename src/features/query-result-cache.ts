import { createHash } from "node:crypto";
import type { Timeframe } from "../domain/timeframe";
import { seriesCacheKey, type QueryCache } from "./cache-ports";

/**
 * Read-through caching of query results keyed by the query's shape (operation and arguments), tagged with
 * the series they were computed from so that new bars of the symbol drop them. Results are cached in their
 * client-facing form: JSON-safe, undefined numbers already null, instants as ISO-8601 strings.
 */
export class QueryResultCache {
  constructor(private readonly cache: QueryCache) {}

  /**
   * The cached result of `operation(arguments)` on (symbol, timeframe), or `compute()`'s, which is then
   * cached. Errors from `compute` are not cached.
   */
  async through<T>(operation: string, queryArguments: unknown, symbol: string, timeframe: Timeframe, compute: () => Promise<T>): Promise<T> {
    const key = `${operation}:${createHash("sha256").update(JSON.stringify(queryArguments)).digest("base64url")}`;
    const cached = await this.cache.get<T>(key);
    if (cached !== undefined) return cached;
    const value = await compute();
    await this.cache.set(key, value, seriesCacheKey(symbol, timeframe));
    return value;
  }
}
