import type { Bar } from "../../domain/bar";
import type { Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";

/** A validated bar and the 1-based line of the input it came from. */
export interface StagedBar {
  readonly line: number;
  readonly bar: Bar;
}

/** A staged row whose open time (epoch ms) an earlier line of the same input already had. */
export interface DuplicateRow {
  readonly line: number;
  readonly firstLine: number;
  readonly openTime: number;
}

/** Rows written by an upsert: new bars, bars whose values changed, and bars already stored as given. */
export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Two consecutive stored open times (epoch ms) more than one bar apart: the slots between are missing. */
export interface OpenTimeJump {
  readonly previousOpenTime: number;
  readonly nextOpenTime: number;
}

/**
 * One import into one series as one transaction: rows are staged, checked, then upserted at once, so a rejected
 * import changes nothing. Adapter: store/offline/BarImportSession (a PostgreSQL transaction with a staging table).
 * Every method may reject with the store's error; the importer then calls `rollback`.
 */
export interface BarImportTransaction {
  /** Appends a batch of validated rows to the staging area (one round trip per batch). */
  stage(rows: readonly StagedBar[]): Promise<void>;
  /** Staged rows repeating an open time of an earlier line, in line order. */
  duplicateRows(): Promise<DuplicateRow[]>;
  /** Removes staged rows by line number. */
  discardLines(lines: readonly number[]): Promise<void>;
  /**
   * Creates the instrument when it is new (with `calendar`, or around-the-clock when undefined) and sets its
   * calendar when `calendar` is given for an existing one. Resolves to the instrument's calendar after the change.
   */
  saveInstrument(calendar: TradingCalendar | undefined): Promise<TradingCalendar>;
  /**
   * Upserts every staged row into the series: a row identical to the stored bar is not rewritten (importing the
   * same rows twice changes nothing), and stored feature values from the oldest changed bar on are invalidated.
   */
  upsert(): Promise<UpsertCounts>;
  /** Where the series, as this transaction sees it, skips grid slots. */
  openTimeJumps(): Promise<OpenTimeJump[]>;
  /** Makes the import visible to everyone and ends the transaction. */
  commit(): Promise<void>;
  /** Discards everything staged and written; stored data stays exactly as it was. */
  rollback(): Promise<void>;
  /**
   * Stops the statement running now (an interrupted import: Ctrl-C), at once; the caller then rolls back. Resolves
   * when the store has been asked to stop it.
   */
  cancel(): Promise<void>;
}

/** Where imports write bars: opens one transaction per import. */
export interface BarImportStore {
  /**
   * Opens an import transaction into the series (symbol, timeframe).
   * @throws DomainError UNAVAILABLE (or the driver's error) when the store cannot be reached
   */
  begin(symbol: string, timeframe: Timeframe): Promise<BarImportTransaction>;
}
