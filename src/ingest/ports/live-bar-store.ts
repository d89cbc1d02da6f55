import type { Bar } from "../../domain/bar";
import type { Timeframe } from "../../domain/timeframe";

/** What one write of closed bars did to a series. */
export interface LiveBarWrite {
  /** The bars stored or changed by the write (new ones and corrections), oldest first; duplicates left out. */
  readonly changed: readonly Bar[];
  /** How many of `changed` replaced a stored bar with different values (the rest are new). */
  readonly corrections: number;
  /** Bars identical to the stored ones: nothing was written for them. */
  readonly duplicates: number;
  /** Open time (epoch ms) of the series' newest bar before the write; null when it had none. */
  readonly previousNewestOpenTime: number | null;
  /**
   * Open time (epoch ms) of the oldest changed bar at or before `previousNewestOpenTime` (a late bar or a
   * correction): stored history changed from there. Null when every changed bar follows the previous newest.
   */
  readonly rewrittenFrom: number | null;
  /** The series' revision after the write (grows by one with each write that rewrote history). */
  readonly revision: number;
}

/**
 * Where live ingest writes closed bars (adapter: store/offline/LiveBarRepository). One write is one transaction
 * holding the symbol's series lock, so writes to a series are applied one at a time, also across processes; the
 * instrument is created (trading around the clock) when new; stored feature values that depended on changed bars
 * are invalidated; every server hears of the change when it commits (BarChangeFeed).
 */
export interface LiveBarStore {
  /**
   * Stores validated closed bars of one series (distinct open times, any order): new bars are inserted,
   * different values replace the stored bar, identical bars change nothing.
   * @throws DomainError UNAVAILABLE when the store cannot be reached (nothing is written)
   */
  write(symbol: string, timeframe: Timeframe, bars: readonly Bar[]): Promise<LiveBarWrite>;
}
