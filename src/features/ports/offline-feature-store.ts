import type { OpenTimeRange } from "../../domain/open-time-range";
import type { Timeframe } from "../../domain/timeframe";

/** Feature values of one series read from the offline store, aligned with the bars' open times. */
export interface StoredFeatureValues {
  /** Open times (epoch ms), oldest first. */
  readonly openTimes: Float64Array;
  /** One value per open time; NaN where the feature is undefined (before its lookback). */
  readonly values: Float64Array;
}

/**
 * The offline store seen from one series while its lock is held: materialization state, reads and writes.
 * Obtained through OfflineFeatureStore.withSeriesLock; valid only inside its `work`.
 */
export interface OfflineSeriesSession {
  /**
   * Open time (epoch ms) through which each of `featureIds` is materialized: every bar from the series' first
   * one through it has a stored value. Features with nothing stored are absent.
   */
  materializedThrough(featureIds: readonly number[]): Promise<Map<number, number>>;
  /** Stored values of a feature for the bars with open time in `range`, oldest first. */
  readValues(featureId: number, range: OpenTimeRange): Promise<StoredFeatureValues>;
  /**
   * Stores values for the bars at `openTimes` (epoch ms, oldest first, each after the feature's materialized
   * open time) and records the feature as materialized through `throughOpenTime`. The arrays are copied. The
   * adapter may perform the write after `work` has returned (still under the lock, in the same transaction):
   * the caller need not wait for storage.
   */
  writeValues(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void>;
}

/**
 * The offline store: materialized feature values in PostgreSQL (adapter: store/offline/OfflineFeatureRepository).
 * Rejects with DomainError UNAVAILABLE when the store cannot be reached.
 */
export interface OfflineFeatureStore {
  /**
   * Runs `work` holding the lock of every series of the symbol, which bar imports also take: no bar it depends on
   * changes while `work` computes and writes. Resolves to what `work` resolves to.
   * @param signal when it aborts, the statement running for the session (the lock wait included) is cancelled,
   *   the transaction rolled back and the lock released; `work` should check it between its own steps
   */
  withSeriesLock<T>(symbol: string, timeframe: Timeframe, work: (session: OfflineSeriesSession) => Promise<T>, signal?: AbortSignal): Promise<T>;
}
