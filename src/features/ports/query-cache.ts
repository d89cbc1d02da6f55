/** Counters of one cache tier (or of the whole cache). Counts are cumulative since the process started. */
export interface TierStats {
  /** Lookups answered by this tier. */
  readonly hits: number;
  /** Lookups this tier was asked and could not answer. */
  readonly misses: number;
  /** hits / (hits + misses), in [0, 1]; 0 before the first lookup. */
  readonly hitRate: number;
  /** Entries dropped to make room (capacity), not counting expiry or invalidation. */
  readonly evictions: number;
  /** Entries currently held. */
  readonly size: number;
}

/** What `QueryCache.stats()` reports. */
export interface CacheStats {
  /** The in-process tier (bounded LRU with TTL). */
  readonly process: TierStats;
  /** The Redis tier; null when the cache runs without Redis (no REDIS_URL). */
  readonly redis: TierStats | null;
  /**
   * The cache as a caller sees it: a hit is a lookup answered by either tier, a miss one answered by
   * neither; evictions and size are the sums over the tiers (an entry held in both counts twice in size).
   */
  readonly total: TierStats;
  /**
   * Redis calls skipped or failed (breaker open, timeout, connection error) and answered from the
   * process tier alone instead: a degraded but error-free answer. 0 without Redis.
   */
  readonly redisFallbacks: number;
}

/** Called with the symbol whose bars changed, or `undefined` when any symbol's may have. Must not throw. */
export type SeriesChangeListener = (symbol: string | undefined) => void;

/**
 * A cache of query results keyed by the query's shape, with entries tagged by the series they were
 * computed from so that new bars invalidate exactly them. Adapters: store/memory/ProcessQueryCache (no
 * REDIS_URL) and store/redis/RedisQueryCache (a process tier in front of Redis).
 *
 * Values are JSON: the cache stores what `JSON.stringify` keeps and hands back what `JSON.parse` gives,
 * from either tier alike. Cache results in their client-facing form, where undefined numbers are already
 * `null`: a NaN would come back as null, a Float64Array as a plain object with index keys, a Date as a
 * string, `undefined` properties disappear. Returned values are shared between callers: treat them as
 * read-only.
 *
 * No method throws for a dependency failure: without Redis the cache answers from the process tier.
 */
export interface QueryCache {
  /** The value stored under `key`, or undefined when no tier holds it (or it expired). */
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Stores `value` under `key` in every tier, tagged with the series it depends on.
   * @param seriesKey the series' key, "<symbol>/<timeframe label>", e.g. "BTCUSDT/1h" (domain/series-key.ts)
   * @throws Error when `seriesKey` is not of that form (a programming error)
   */
  set(key: string, value: unknown, seriesKey: string): Promise<void>;
  /**
   * Drops every entry of any timeframe of `symbol` from every tier (new 1m bars change resampled 1h
   * results too). Resolves to the number of distinct entries dropped.
   */
  invalidateSeries(symbol: string): Promise<number>;
  /**
   * Drops this process's entries of any timeframe of `symbol` and tells the listeners, leaving the shared tier to the
   * writer of the bars (which calls `invalidateSeries`): for a change every instance hears of by itself (a committed
   * bar change). Resolves to the number of entries dropped.
   */
  forgetSeries(symbol: string): Promise<number>;
  /**
   * Admin: drops every entry whose name `<seriesKey>:<key>` matches the Redis-style glob `glob`
   * (`*` any characters, `?` one character, `[abc]`/`[^abc]`/`[a-z]` classes, `\` escapes), e.g.
   * "BTCUSDT/*" (one symbol), "BTCUSDT/1h:*" (one series), "*" (everything). Resolves to the number of
   * distinct entries dropped. Matching takes time linear in the number of entries (store/memory/cache-glob.ts).
   * @throws DomainError BAD_USER_INPUT for a glob over 256 characters or with a malformed class
   *   (unclosed `[`, empty `[]`, reversed range `[z-a]`)
   */
  invalidatePattern(glob: string): Promise<number>;
  /** Hit, miss, eviction and size counters per tier and in total. */
  stats(): CacheStats;
  /**
   * Registers `listener` for every symbol whose bars this cache learns changed: its own `invalidateSeries`
   * and, over Redis, other instances' (also `undefined` for an `invalidatePattern`: any symbol may be
   * affected). For state derived from bars that lives outside the cache.
   */
  onSeriesChanged(listener: SeriesChangeListener): void;
}
