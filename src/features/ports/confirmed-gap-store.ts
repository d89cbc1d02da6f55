import type { Gap } from "../../domain/gaps";
import type { Timeframe } from "../../domain/timeframe";

/** A gap the provider confirmed: it has no bars for these slots either (an exchange outage, not a lost feed). */
export interface ConfirmedGap extends Gap {
  /** The provider that had no bars for them, e.g. "binance". */
  readonly provider: string;
  /** When it was confirmed, epoch ms. */
  readonly confirmedAt: number;
}

/**
 * Where confirmed gaps are kept (adapter: store/offline/BackfillRepository). Readiness reports them without
 * GAP_DETECTED, and backfills and gap repair never fetch them again.
 */
export interface ConfirmedGapStore {
  /**
   * The series' confirmed gaps overlapping open times [from, to] (epoch ms, inclusive), oldest first.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  confirmedGaps(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<ConfirmedGap[]>;
  /**
   * Records gaps as confirmed by `provider` (a gap already recorded with the same first slot is replaced).
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  confirm(symbol: string, timeframe: Timeframe, gaps: readonly Gap[], provider: string): Promise<void>;
}
