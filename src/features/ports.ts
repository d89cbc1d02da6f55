import type { Bar, BarColumns } from "../domain/bar";
import type { Instrument, SeriesSummary } from "../domain/instrument";
import type { Timeframe } from "../domain/timeframe";
import type { FeatureDefinition } from "./feature-definition";

/** A half-open or closed range of open times in epoch milliseconds (UTC), both ends inclusive. */
export interface OpenTimeRange {
  readonly from: number;
  readonly to: number;
}

/** Bars of one series read as columns, with `warmupBars` rows stored before the requested range. */
export interface ColumnsWithWarmup {
  readonly columns: BarColumns;
  /** How many leading rows lie before `range.from` (at most the number asked for). */
  readonly warmupBars: number;
  /**
   * Open times (epoch ms) of returned bars aggregated from a finer timeframe with source bars missing
   * (a gap inside the bucket); empty for stored series.
   */
  readonly incompleteOpenTimes: readonly number[];
}

/** A bar as queries return it: stored, or aggregated from a finer stored timeframe. */
export interface SeriesBar extends Bar {
  /** False when the bar was aggregated from a finer timeframe and source bars are missing inside it. */
  readonly complete: boolean;
}

/** Which bars `readBars` returns. */
export interface BarPageRequest {
  /** Most bars to return. */
  readonly limit: number;
  /** Only bars opening strictly after this open time (epoch ms). */
  readonly afterOpenTime?: number;
  /** For aggregated series: also return the unfinished trailing bar (flagged incomplete). */
  readonly includeIncomplete?: boolean;
}

/**
 * Read access to instruments and stored bars: the port the query services use; the PostgreSQL adapter
 * in store/ implements it.
 */
export interface MarketDataReader {
  /** All instruments, ordered by symbol. */
  listInstruments(): Promise<Instrument[]>;
  /** The instruments among `symbols` that exist, keyed by symbol. */
  findInstruments(symbols: readonly string[]): Promise<Map<string, Instrument>>;
  /** Stored series (one per timeframe with bars) of each symbol in `symbols`, keyed by symbol. */
  seriesSummaries(symbols: readonly string[]): Promise<Map<string, SeriesSummary[]>>;
  /**
   * For each symbol, the open time (epoch ms) of its newest bar at `timeframe` that has closed by `now`
   * (close time ≤ now); symbols without one are absent. One query for all symbols.
   */
  lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe, now: number): Promise<Map<string, number>>;
  /** Timeframes with at least one stored bar for `symbol`, shortest first. */
  storedTimeframes(symbol: string): Promise<Timeframe[]>;
  /** Bars of one series with open time in `range`, oldest first, as `request` says. */
  readBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, request: BarPageRequest): Promise<SeriesBar[]>;
  /**
   * The bars in `range` as columns, preceded by up to `warmupBars` bars stored before `range.from`
   * (the newest ones; all of them when `warmupBars` is Infinity), all oldest first.
   */
  readColumnsWithWarmup(symbol: string, timeframe: Timeframe, range: OpenTimeRange, warmupBars: number): Promise<ColumnsWithWarmup>;
}

/** A definition to store: everything but the id and registration time. */
export type NewFeatureDefinition = Omit<FeatureDefinition, "id" | "createdAt">;

/** Storage of feature definitions (the PostgreSQL adapter in store/ implements it). */
export interface FeatureDefinitionStore {
  /** Every version of every definition, by name then version. */
  list(): Promise<FeatureDefinition[]>;
  /** The versions registered under each of `names` (one query), oldest first; unknown names map to []. */
  versionsOf(names: readonly string[]): Promise<Map<string, FeatureDefinition[]>>;
  /**
   * Stores a new version. Resolves to null when (name, version) is already taken (a concurrent
   * registration won), so the caller can re-read and decide again.
   */
  insert(definition: NewFeatureDefinition): Promise<FeatureDefinition | null>;
}

/** Feature values of one series read from the offline store, aligned with the bars' open times. */
export interface StoredFeatureValues {
  readonly openTimes: Float64Array;
  /** NaN where the feature is undefined (before its lookback). */
  readonly values: Float64Array;
}

/**
 * The offline store seen from one series while its lock is held: materialization state, reads and writes.
 * Obtained through OfflineFeatureStore.withSeriesLock.
 */
export interface OfflineSeriesSession {
  /** Open time through which each feature is materialized (every bar from the series' first), if any. */
  materializedThrough(featureIds: readonly number[]): Promise<Map<number, number>>;
  /** Stored values of a feature for the bars with open time in `range`, oldest first. */
  readValues(featureId: number, range: OpenTimeRange): Promise<StoredFeatureValues>;
  /**
   * Stores values for the given bars, which follow the feature's materialized open time, and records the
   * feature as materialized through `throughOpenTime`. The adapter may perform the write after `work`
   * has returned (still under the lock, in the same transaction): the caller need not wait for storage.
   */
  writeValues(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void>;
}

/** The offline store (materialized feature values in PostgreSQL). */
export interface OfflineFeatureStore {
  /**
   * Runs `work` holding the lock of every series of the symbol, which bar imports also take: no bar it depends on
   * changes while `work` computes and writes.
   */
  withSeriesLock<T>(symbol: string, timeframe: Timeframe, work: (session: OfflineSeriesSession) => Promise<T>): Promise<T>;
}
