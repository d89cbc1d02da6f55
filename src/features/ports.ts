import type { Bar, BarColumns } from "../domain/bar";
import type { Instrument, SeriesSummary } from "../domain/instrument";
import type { Timeframe } from "../domain/timeframe";

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
   * Up to `limit` bars of one series with open time in `range` and strictly after `afterOpenTime` when
   * given, oldest first.
   */
  readBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, limit: number, afterOpenTime?: number): Promise<Bar[]>;
  /**
   * The bars in `range` as columns, preceded by up to `warmupBars` bars stored before `range.from`
   * (the newest ones; all of them when `warmupBars` is Infinity), all oldest first.
   */
  readColumnsWithWarmup(symbol: string, timeframe: Timeframe, range: OpenTimeRange, warmupBars: number): Promise<ColumnsWithWarmup>;
}
