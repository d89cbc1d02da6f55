import type { Pool, PoolClient } from "pg";
import { cancelOnAbort, releaseAfter } from "../postgres/cancellation";
import { checkOutClient } from "../postgres/client-checkout";
import type { TradingCalendar } from "../../domain/trading-calendar";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import { findOpenTimeJumps } from "./gap-jumps";
import { saveInstrumentCalendar } from "./instrument-calendar";
import type { BarImportStore, BarImportTransaction, DuplicateRow, OpenTimeJump, StagedBar, UpsertCounts } from "../../ingest/ports/bar-import-store";
import { recordBarChange } from "./bar-changes";
import { truncateChunksFrom } from "./feature-value-chunks";
import { lockSymbolSeries } from "../postgres/series-lock";

/**
 * One import as one PostgreSQL transaction: rows are staged in a temporary table, checked there (duplicates
 * across the whole file, without holding the file in memory), then upserted into `bar` in one statement.
 * Nothing is visible to others until `commit`; `rollback` leaves stored data exactly as it was.
 */
export class BarImportSession implements BarImportTransaction {
  private readonly interruption = new AbortController();
  private readonly stopCancelling: () => void;

  private constructor(
    pool: Pool,
    private readonly client: PoolClient,
    private readonly symbol: string,
    private readonly timeframe: Timeframe,
  ) {
    this.stopCancelling = cancelOnAbort(pool, client, this.interruption.signal);
  }

  /** Opens the transaction and the staging table for a series. */
  static async begin(pool: Pool, symbol: string, timeframe: Timeframe): Promise<BarImportSession> {
    const client = await checkOutClient(pool);
    try {
      await client.query("BEGIN");
      // A client that dies mid-statement (SIGKILL) is noticed within a second and its statement and lock let go,
      // instead of PostgreSQL finishing a long upsert for nobody.
      await client.query("SET LOCAL client_connection_check_interval = 1000");
      await client.query(
        `CREATE TEMPORARY TABLE bar_staging (
           line integer NOT NULL, open_time timestamptz(3) NOT NULL,
           open float8 NOT NULL, high float8 NOT NULL, low float8 NOT NULL, close float8 NOT NULL, volume float8 NOT NULL
         ) ON COMMIT DROP`,
      );
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      throw error;
    }
    return new BarImportSession(pool, client, symbol, timeframe);
  }

  /** Appends a batch of validated rows to the staging table (one round trip per batch). */
  async stage(rows: readonly StagedBar[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = { line: [] as number[], openTime: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
    for (const { line, bar } of rows) {
      columns.line.push(line);
      columns.openTime.push(bar.openTime);
      columns.open.push(bar.open);
      columns.high.push(bar.high);
      columns.low.push(bar.low);
      columns.close.push(bar.close);
      columns.volume.push(bar.volume);
    }
    await this.client.query(
      `INSERT INTO bar_staging (line, open_time, open, high, low, close, volume)
       SELECT line, to_timestamp(open_time_ms / 1000.0), open, high, low, close, volume
       FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
         AS staged(line, open_time_ms, open, high, low, close, volume)`,
      [columns.line, columns.openTime, columns.open, columns.high, columns.low, columns.close, columns.volume],
    );
  }

  /** Staged rows repeating an open time of an earlier line, in line order. */
  async duplicateRows(): Promise<DuplicateRow[]> {
    const result = await this.client.query<{ line: number; first_line: number; open_time: number }>(
      `SELECT line, first_line, (extract(epoch from open_time) * 1000)::float8 AS open_time
       FROM (SELECT line, open_time, min(line) OVER (PARTITION BY open_time) AS first_line FROM bar_staging) AS ranked
       WHERE line <> first_line ORDER BY line`,
    );
    return result.rows.map((row) => ({ line: row.line, firstLine: row.first_line, openTime: row.open_time }));
  }

  /** Removes staged rows by line number (used to drop duplicates when skipping invalid rows). */
  async discardLines(lines: readonly number[]): Promise<void> {
    if (lines.length > 0) await this.client.query("DELETE FROM bar_staging WHERE line = ANY($1::int[])", [lines]);
  }

  /**
   * Creates the instrument when it is new (with `calendar`, or around-the-clock when undefined) and sets
   * its calendar when `calendar` is given for an existing one.
   * @returns the instrument's calendar after the change
   */
  async saveInstrument(calendar: TradingCalendar | undefined): Promise<TradingCalendar> {
    return saveInstrumentCalendar(this.client, this.symbol, calendar, "replace");
  }


  /**
   * Upserts every staged row into `bar`. A row identical to the stored bar is not rewritten, so importing
   * the same file twice changes nothing the second time. Holding the series lock, it then invalidates the
   * offline store from the oldest changed bar on (a feature value depends on the bars up to its own) and records
   * the change, which every server hears of once the import commits.
   */
  async upsert(): Promise<UpsertCounts> {
    await lockSymbolSeries(this.client, this.symbol);
    const label = timeframeLabel(this.timeframe);
    const result = await this.client.query<{ staged: string; inserted: string; updated: string; first_changed: number | null; rewritten_from: number | null }>(
      `WITH previous AS (SELECT max(open_time) AS newest FROM bar WHERE symbol = $1 AND timeframe = $2),
       written AS (
         INSERT INTO bar (symbol, timeframe, open_time, open, high, low, close, volume)
         SELECT $1, $2, open_time, open, high, low, close, volume FROM bar_staging
         ON CONFLICT (symbol, timeframe, open_time) DO UPDATE
           SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
           WHERE (bar.open, bar.high, bar.low, bar.close, bar.volume)
                 IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
         RETURNING open_time, (xmax = 0) AS is_insert)
       SELECT (SELECT count(*) FROM bar_staging) AS staged,
              count(*) FILTER (WHERE is_insert) AS inserted,
              count(*) FILTER (WHERE NOT is_insert) AS updated,
              (extract(epoch from min(open_time)) * 1000)::float8 AS first_changed,
              (extract(epoch from min(open_time) FILTER (WHERE open_time <= (SELECT newest FROM previous))) * 1000)::float8 AS rewritten_from
       FROM written`,
      [this.symbol, label],
    );
    const row = result.rows[0];
    if (row.first_changed !== null) {
      await truncateChunksFrom(this.client, this.symbol, this.timeframe, row.first_changed);
      await recordBarChange(this.client, this.symbol, this.timeframe, row.first_changed, row.rewritten_from);
    }
    const inserted = Number(row.inserted);
    const updated = Number(row.updated);
    return { inserted, updated, unchanged: Number(row.staged) - inserted - updated };
  }

  /** Where the series (as this transaction sees it) skips grid slots. */
  openTimeJumps(): Promise<OpenTimeJump[]> {
    return findOpenTimeJumps(this.client, this.symbol, this.timeframe);
  }

  /** Makes the import visible and releases the connection. */
  async commit(): Promise<void> {
    try {
      await this.client.query("COMMIT");
    } finally {
      this.release();
    }
  }

  /** Discards everything staged and written; stored data stays exactly as it was. */
  async rollback(): Promise<void> {
    try {
      await this.client.query("ROLLBACK");
    } finally {
      this.release();
    }
  }

  /** Cancels the running statement with pg_cancel_backend from a connection of its own. */
  async cancel(): Promise<void> {
    this.interruption.abort();
  }

  private release(): void {
    this.stopCancelling();
    releaseAfter(this.client, this.interruption.signal);
  }
}

/** The PostgreSQL BarImportStore: each import is a BarImportSession on a connection of `pool`. */
export function postgresBarImportStore(pool: Pool): BarImportStore {
  return { begin: (symbol, timeframe) => BarImportSession.begin(pool, symbol, timeframe) };
}
