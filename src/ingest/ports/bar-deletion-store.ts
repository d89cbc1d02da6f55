import type { OpenTimeRange } from "../../domain/open-time-range";
import type { Timeframe } from "../../domain/timeframe";

/** What a deletion found (and, unless it was a dry run, removed). */
export interface BarDeletion {
  /** Bars with open time in the range. */
  readonly bars: number;
  /** Open times (epoch ms) of the first and last of them; undefined when there are none. */
  readonly firstOpenTime: number | undefined;
  readonly lastOpenTime: number | undefined;
}

/**
 * Deletes stored bars (adapter: store/offline/BarDeletionRepository), to undo a mistaken import. One transaction
 * holding the symbol's series lock: the bars go, the stored feature values that depended on them go (in that
 * timeframe and every longer one aggregated from it), the series' revision grows, and every server hears of it.
 */
export interface BarDeletionStore {
  /**
   * Deletes the bars of (symbol, timeframe) with open time in `range`, or only counts them when `dryRun`.
   * @throws DomainError UNAVAILABLE (or the driver's error) when the store cannot be reached; nothing changes then
   */
  deleteBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, dryRun: boolean): Promise<BarDeletion>;
}
