import { timeframeLabel, type Timeframe } from "../domain/timeframe";

/**
 * Ports of the query cache and the online store (issue 3, items 5 and 6). Adapters live in store/:
 * a two-tier cache (process LRU in front of Redis) and a Redis online store, with in-process fallbacks
 * when no REDIS_URL is configured.
 */

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

/**
 * A cache of query results keyed by the query's shape, with entries tagged by the series they were
 * computed from so that new bars invalidate exactly them.
 *
 * Values are JSON: the cache stores what `JSON.stringify` keeps and hands back what `JSON.parse` gives,
 * from either tier alike. Cache results in their GraphQL form, where undefined numbers are already
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
   * @param seriesKey "<symbol>/<timeframe label>", e.g. "BTCUSDT/1h"; build it with `seriesCacheKey`.
   * @throws Error when `seriesKey` is not of that form (a programming error)
   */
  set(key: string, value: unknown, seriesKey: string): Promise<void>;
  /**
   * Drops every entry of any timeframe of `symbol` from every tier (new 1m bars change resampled 1h
   * results too). Resolves to the number of distinct entries dropped.
   */
  invalidateSeries(symbol: string): Promise<number>;
  /**
   * Admin: drops every entry whose name `<seriesKey>:<key>` matches the Redis-style glob `glob`
   * (`*` any characters, `?` one character, `[abc]`/`[^abc]`/`[a-z]` classes, `\` escapes), e.g.
   * "BTCUSDT/*" (one symbol), "BTCUSDT/1h:*" (one series), "*" (everything). Resolves to the number of distinct entries dropped.
   */
  invalidatePattern(glob: string): Promise<number>;
  /** Hit, miss, eviction and size counters per tier and in total. */
  stats(): CacheStats;
  /**
   * Registers `listener` for every symbol whose bars this cache learns changed: its own `invalidateSeries`
   * and, over Redis, other instances' (also `undefined` for an `invalidatePattern`: any symbol may be
   * affected). For state derived from bars that lives outside the cache. Listeners must not throw.
   */
  onSeriesChanged(listener: SeriesChangeListener): void;
}

/** Called with the symbol whose bars changed, or `undefined` when any symbol's may have. */
export type SeriesChangeListener = (symbol: string | undefined) => void;

/** The series tag of cache entries computed from bars of `symbol` at `timeframe`: "BTCUSDT/1h". */
export function seriesCacheKey(symbol: string, timeframe: Timeframe): string {
  return `${symbol}/${timeframeLabel(timeframe)}`;
}

/** Series tags are "<symbol>/<label>"; symbols are [A-Z0-9._-] (domain/instrument.ts), labels [0-9a-z]. */
const SERIES_KEY_PATTERN = /^([A-Za-z0-9._-]+)\/([0-9A-Za-z]+)$/;

/**
 * The symbol of a series tag: "BTCUSDT/1h" → "BTCUSDT".
 * @throws Error when `seriesKey` is not "<symbol>/<timeframe label>" (a programming error)
 */
export function symbolOfSeriesKey(seriesKey: string): string {
  const match = SERIES_KEY_PATTERN.exec(seriesKey);
  if (match === null) throw new Error(`Cache series key "${seriesKey}" is not of the form "<symbol>/<timeframe label>", e.g. "BTCUSDT/1h".`);
  return match[1];
}

/** The newest closed bar's feature vector of one series, as the live pipeline computed it. */
export interface LatestFeatureVector {
  /** Open time of the bar the values belong to, epoch ms (UTC). */
  readonly openTime: number;
  /** When the values became known (the bar's close time, or when they were computed), epoch ms (UTC). */
  readonly asOf: number;
  /** Feature name (e.g. "rsi_14") → value; null where undefined (before the lookback; NaN is stored as null). */
  readonly values: Readonly<Record<string, number | null>>;
}

/**
 * The online store: the latest feature vector per series (DESIGN.md, retrieval path 3), written by the
 * live pipeline and read by `latestFeatures` for many symbols in one round trip.
 */
export interface OnlineFeatureStore {
  /**
   * Stores `vector` as the latest of (symbol, timeframe), unless the stored one belongs to a newer bar
   * (a later openTime): the latest value never goes back in time. The same openTime replaces (a corrected bar).
   * Non-finite numbers are stored as null.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   * @throws Error when openTime or asOf is not a finite number (a programming error)
   */
  writeLatest(symbol: string, timeframe: Timeframe, vector: LatestFeatureVector): Promise<void>;
  /**
   * The latest vector of each of `symbols` at `timeframe`, keyed by symbol; symbols without one are
   * absent. One round trip for all symbols.
   * @throws DomainError UNAVAILABLE when the store cannot be reached (never an invented or empty answer)
   */
  readLatest(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, LatestFeatureVector>>;
}
