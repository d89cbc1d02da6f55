import type { Bar, BarColumns } from "../../domain/bar";
import type { Instrument, SeriesSummary } from "../../domain/instrument";
import type { OpenTimeRange } from "../../domain/open-time-range";
import type { Gap } from "../../domain/gaps";
import type { Timeframe } from "../../domain/timeframe";

/** Bars of one series read as columns, with `warmupBars` rows stored before the requested range. */
export interface ColumnsWithWarmup {
  /** The bars, oldest first: first the warm-up rows, then the rows in range. */
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
 * Read access to instruments and stored bars, the port every query service reads through. Adapters:
 * store/offline/MarketDataRepository (PostgreSQL) and ResamplingMarketDataReader in front of it, which
 * serves any timeframe by aggregating a finer stored one. Every method rejects with DomainError UNAVAILABLE
 * when the store cannot be reached (the adapters' circuit breaker).
 */
export interface MarketDataReader {
  /** All instruments, ordered by symbol. */
  listInstruments(): Promise<Instrument[]>;
  /** The instruments among `symbols` that exist, keyed by symbol; unknown symbols are absent. */
  findInstruments(symbols: readonly string[]): Promise<Map<string, Instrument>>;
  /** Stored series (one per timeframe with bars) of each symbol in `symbols`, keyed by symbol, shortest timeframe first. */
  /**
   * Every gap of the stored series (symbol, timeframe), oldest first: runs of trading slots of the instrument's calendar
   * with no bar between its first and last stored bars (closed slots are never gaps).
   */
  seriesGaps(symbol: string, timeframe: Timeframe): Promise<Gap[]>;
  seriesSummaries(symbols: readonly string[]): Promise<Map<string, SeriesSummary[]>>;
  /**
   * For each symbol, the open time (epoch ms) of its newest bar at `timeframe` that has closed by `now`
   * (close time ≤ now, epoch ms); symbols without one are absent. One query for all symbols.
   */
  lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe, now: number): Promise<Map<string, number>>;
  /**
   * The revision of the series (symbol, timeframe): 0 until stored history is first rewritten (a late bar, a
   * correction, a deletion), then one more with each rewrite. An aggregated timeframe has its source's revision.
   */
  seriesRevision(symbol: string, timeframe: Timeframe): Promise<number>;
  /**
   * How many bars of the series have closed by `now` (epoch ms: close time ≤ now), and the open times (epoch ms,
   * ascending) of the newest `recentBars` of them (all of them when Infinity): what readiness is evaluated from.
   */
  closedBarProfile(symbol: string, timeframe: Timeframe, now: number, recentBars: number): Promise<{ barCount: number; recentOpenTimes: Float64Array }>;
  /** Timeframes with at least one stored bar for `symbol`, shortest first. */
  storedTimeframes(symbol: string): Promise<Timeframe[]>;
  /** Bars of one series with open time in `range`, oldest first, as `request` says. */
  readBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, request: BarPageRequest): Promise<SeriesBar[]>;
  /**
   * The bars in `range` as columns, preceded by up to `warmupBars` bars stored before `range.from`
   * (the newest ones; all of them when `warmupBars` is Infinity), all oldest first.
   * @param signal when it aborts, the read stops (its statement is cancelled) and rejects with `signal.reason`
   */
  readColumnsWithWarmup(symbol: string, timeframe: Timeframe, range: OpenTimeRange, warmupBars: number, signal?: AbortSignal): Promise<ColumnsWithWarmup>;
}
