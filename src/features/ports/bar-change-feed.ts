import type { Timeframe } from "../../domain/timeframe";

/** Stored bars of one series changed (by any writer: live ingest, a CSV import, a deletion), once committed. */
export interface BarChange {
  readonly symbol: string;
  /** The timeframe of the bars written (longer timeframes aggregated from them changed too). */
  readonly timeframe: Timeframe;
  /** Open time (epoch ms) of the oldest bar written or deleted. */
  readonly firstChanged: number;
  /**
   * Open time (epoch ms) from which already stored history changed (a late bar, a correction, a deletion);
   * null when the write only appended bars after the series' newest one.
   */
  readonly rewrittenFrom: number | null;
  /** The series' revision after the change (grows with every rewrite). */
  readonly revision: number;
}

/** Called for each committed change, in commit order; `undefined` when changes may have been missed (after a reconnect): resynchronize everything. Must not throw. */
export type BarChangeListener = (change: BarChange | undefined) => void;

/**
 * Where every server instance hears of committed bar changes, whichever process wrote them (adapter:
 * store/postgres/notification-listener.ts over PostgreSQL LISTEN/NOTIFY, which needs no Redis).
 */
export interface BarChangeFeed {
  /** Registers `listener` for every change from now on; returns the function that unregisters it. */
  onBarsChanged(listener: BarChangeListener): () => void;
}
