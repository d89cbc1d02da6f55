import type { Timeframe } from "../../domain/timeframe";

/** The feature vector of one series at one closed bar, as the online store keeps it. */
export interface LatestFeatureVector {
  /** Open time of the bar the values belong to, epoch ms (UTC). */
  readonly openTime: number;
  /** When the values were computed, epoch ms (UTC). */
  readonly computedAt: number;
  /** The series' revision the values were computed at: a correction of stored history supersedes older ones. */
  readonly revision: number;
  /** Feature reference (e.g. "rsi_14@1") → value; null where undefined (before the lookback; NaN is stored as null). */
  readonly values: Readonly<Record<string, number | null>>;
}

/**
 * The online store: the latest feature vector per series (DESIGN.md, retrieval path 3), read by
 * `latestFeatures` for many symbols in one round trip. Adapters: store/memory/MemoryOnlineFeatureStore (no
 * REDIS_URL) and store/redis/RedisOnlineFeatureStore.
 */
export interface OnlineFeatureStore {
  /**
   * Stores `vector` as the latest of (symbol, timeframe) by the rule of `mergeLatest` (store/latest-vector-codec.ts):
   * a vector of an older bar, or of the same bar at a lower revision, is ignored (the latest value never goes back
   * in time); one of a newer bar or a higher revision replaces the stored one; one of the same bar and revision
   * adds its values to the stored ones (instances keeping different features of one series write side by side).
   * Non-finite numbers are stored as null.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   * @throws Error when openTime, computedAt or revision is not a finite number (a programming error)
   */
  writeLatest(symbol: string, timeframe: Timeframe, vector: LatestFeatureVector): Promise<void>;
  /**
   * The latest vector of each of `symbols` at `timeframe`, keyed by symbol; symbols without one are
   * absent. One round trip for all symbols.
   * @throws DomainError UNAVAILABLE when the store cannot be reached (never an invented or empty answer)
   */
  readLatest(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, LatestFeatureVector>>;
}
