import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { DomainError, ErrorCode } from "../domain/errors";
import type { Timeframe } from "../domain/timeframe";
import { seriesKey } from "../domain/series-key";
import type { QueryCache } from "./ports/query-cache";

/** A query result that can say it is a stale fallback. */
export interface StaleAware {
  /** True when the result is the last good one, served because a dependency is unavailable. */
  readonly stale: boolean;
}

/** How many last good results the process keeps for outages (they are not bounded by the cache TTL). */
const LAST_GOOD_ENTRIES = 200;

/**
 * Read-through caching of query results keyed by the query's shape (operation and arguments), tagged with
 * the series they were computed from so that new bars of the symbol drop them. Results are cached in their
 * client-facing form: JSON-safe, undefined numbers already null, instants as ISO-8601 strings.
 *
 * When computing fails with UNAVAILABLE (PostgreSQL down) the last good result of the same query, kept in
 * the process beyond the cache's TTL and invalidations, is served with `stale: true`; its own `asOf` says
 * how old it is. Without one, the UNAVAILABLE error goes to the caller. Nothing is ever invented.
 */
export class QueryResultCache {
  private readonly lastGood = new LRUCache<string, object>({ max: LAST_GOOD_ENTRIES });
  /** Bar changes heard of, per symbol and for any symbol (pattern invalidations): only ever incremented. */
  private readonly symbolChanges = new Map<string, number>();
  private anySymbolChanges = 0;
  /**
   * Lookups and computations under way, by key, with their symbol: identical queries arriving meanwhile share
   * them, until the symbol's bars change (later callers must not get a result read before the change).
   */
  private readonly inFlight = new Map<string, { readonly symbol: string; readonly result: Promise<unknown> }>();

  constructor(private readonly cache: QueryCache) {
    cache.onSeriesChanged((symbol) => {
      if (symbol === undefined) this.anySymbolChanges++;
      else this.symbolChanges.set(symbol, (this.symbolChanges.get(symbol) ?? 0) + 1);
      for (const [key, flight] of this.inFlight) if (symbol === undefined || flight.symbol === symbol) this.inFlight.delete(key);
    });
  }

  /**
   * The cached result of `operation(arguments)` on (symbol, timeframe), or `compute()`'s, which is then
   * cached, unless the symbol's bars changed while it was computed (it may have read the bars before the
   * change: it is returned to this caller but not kept). Errors from `compute` are not cached.
   *
   * Single flight: while a lookup or computation of the same query is under way (identical aliases of one
   * request, or identical concurrent requests), callers share it instead of starting another, and all get its
   * result or its error. Results are shared: treat them as read-only.
   */
  through<T extends StaleAware>(operation: string, queryArguments: unknown, symbol: string, timeframe: Timeframe, compute: () => Promise<T>): Promise<T> {
    const key = `${operation}:${createHash("sha256").update(JSON.stringify(queryArguments)).digest("base64url")}`;
    const underway = this.inFlight.get(key);
    if (underway !== undefined) return underway.result as Promise<T>;
    const flight = {
      symbol,
      result: this.lookUpOrCompute(key, symbol, timeframe, compute).finally(() => {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      }),
    };
    this.inFlight.set(key, flight);
    return flight.result;
  }

  private async lookUpOrCompute<T extends StaleAware>(key: string, symbol: string, timeframe: Timeframe, compute: () => Promise<T>): Promise<T> {
    const changesBefore = this.changesOf(symbol);
    const cached = await this.cache.get<T>(key);
    if (cached !== undefined) return cached;
    let value: T;
    try {
      value = await compute();
    } catch (error) {
      const fallback = this.lastGood.get(key) as T | undefined;
      if (fallback !== undefined && error instanceof DomainError && error.code === ErrorCode.UNAVAILABLE) return { ...fallback, stale: true };
      throw error;
    }
    if (this.changesOf(symbol) !== changesBefore) return value;
    this.lastGood.set(key, value);
    await this.cache.set(key, value, seriesKey(symbol, timeframe));
    return value;
  }

  private changesOf(symbol: string): number {
    return this.anySymbolChanges + (this.symbolChanges.get(symbol) ?? 0);
  }
}
