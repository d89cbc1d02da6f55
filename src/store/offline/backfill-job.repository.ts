import type { Pool } from "pg";
import type { TradingCalendar } from "../../domain/trading-calendar";
import { parseTimeframe, timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { OpenTimeJump } from "../../ingest/ports/bar-import-store";
import { findOpenTimeJumps } from "./gap-jumps";
import { saveInstrumentCalendar } from "./instrument-calendar";
import { BackfillStatus, type BackfillJob, type BackfillJobFilter, type BackfillProgress, type BackfillRequest, type BackfillStore } from "../../ingest/ports/backfill-store";

/** A backfill_job row with its times as epoch ms. */
interface JobRow {
  id: string;
  symbol: string;
  timeframe: string;
  provider: string;
  from: number;
  to: number;
  status: string;
  missing_bars: number;
  bars_fetched: number;
  bars_stored: number;
  confirmed_missing_bars: number;
  reached: number | null;
  error: string | null;
  started: number;
  updated: number;
  finished: number | null;
}

const epoch = (column: string, alias: string) => `(extract(epoch from ${column}) * 1000)::float8 AS ${alias}`;

const JOB_COLUMNS = `id, symbol, timeframe, provider, ${epoch("from_open_time", '"from"')}, ${epoch("to_open_time", '"to"')}, status,
  missing_bars, bars_fetched, bars_stored, confirmed_missing_bars, ${epoch("reached_open_time", "reached")}, error,
  ${epoch("started_at", "started")}, ${epoch("updated_at", "updated")}, ${epoch("finished_at", "finished")}`;

/** PostgreSQL adapter of BackfillStore: the backfill_job table, and reads of the bar and instrument tables. */
export class BackfillJobRepository implements BackfillStore {
  constructor(private readonly pool: Pool) {}

  async createJob(id: string, request: BackfillRequest): Promise<BackfillJob> {
    const result = await this.pool.query<JobRow>(
      `INSERT INTO backfill_job (id, symbol, timeframe, provider, from_open_time, to_open_time, status)
       VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0), $7) RETURNING ${JOB_COLUMNS}`,
      [id, request.symbol, timeframeLabel(request.timeframe), request.provider, request.from, request.to, BackfillStatus.RUNNING],
    );
    return jobOf(result.rows[0]);
  }

  async updateJob(id: string, progress: BackfillProgress): Promise<void> {
    await this.pool.query(
      `UPDATE backfill_job SET missing_bars = $2, bars_fetched = $3, bars_stored = $4, confirmed_missing_bars = $5,
         reached_open_time = to_timestamp($6 / 1000.0), updated_at = now() WHERE id = $1`,
      [id, progress.missingBars, progress.barsFetched, progress.barsStored, progress.confirmedMissingBars, progress.reachedOpenTime],
    );
  }

  async finishJob(id: string, status: BackfillStatus, error: string | null): Promise<BackfillJob> {
    const result = await this.pool.query<JobRow>(
      `UPDATE backfill_job SET status = $2, error = $3, updated_at = now(), finished_at = now() WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
      [id, status, error],
    );
    return jobOf(result.rows[0]);
  }

  async interruptRunningJobs(symbol: string, timeframe: Timeframe): Promise<number> {
    const result = await this.pool.query(
      "UPDATE backfill_job SET status = $3, updated_at = now(), finished_at = now() WHERE symbol = $1 AND timeframe = $2 AND status = $4",
      [symbol, timeframeLabel(timeframe), BackfillStatus.INTERRUPTED, BackfillStatus.RUNNING],
    );
    return result.rowCount ?? 0;
  }

  async findJob(id: string): Promise<BackfillJob | undefined> {
    const result = await this.pool.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM backfill_job WHERE id = $1`, [id]);
    return result.rows.length === 0 ? undefined : jobOf(result.rows[0]);
  }

  async listJobs(filter: BackfillJobFilter): Promise<BackfillJob[]> {
    const result = await this.pool.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM backfill_job WHERE ($1::text IS NULL OR symbol = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY started_at DESC, id LIMIT $3`,
      [filter.symbol ?? null, filter.status ?? null, filter.limit],
    );
    return result.rows.map(jobOf);
  }

  async storedSpan(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<{ first: number | null; last: number | null; jumps: OpenTimeJump[] }> {
    const bounds = await this.pool.query<{ first: number | null; last: number | null }>(
      `SELECT ${epoch("min(open_time)", "first")}, ${epoch("max(open_time)", "last")} FROM bar
       WHERE symbol = $1 AND timeframe = $2 AND open_time BETWEEN to_timestamp($3 / 1000.0) AND to_timestamp($4 / 1000.0)`,
      [symbol, timeframeLabel(timeframe), from, to],
    );
    return { ...bounds.rows[0], jumps: await findOpenTimeJumps(this.pool, symbol, timeframe, { from, to }) };
  }

  ensureInstrument(symbol: string, calendar: TradingCalendar): Promise<TradingCalendar> {
    return saveInstrumentCalendar(this.pool, symbol, calendar, "keep");
  }
}

function jobOf(row: JobRow): BackfillJob {
  return {
    id: row.id,
    symbol: row.symbol,
    timeframe: parseTimeframe(row.timeframe),
    provider: row.provider,
    from: row.from,
    to: row.to,
    status: row.status as BackfillStatus,
    missingBars: row.missing_bars,
    barsFetched: row.bars_fetched,
    barsStored: row.bars_stored,
    confirmedMissingBars: row.confirmed_missing_bars,
    reachedOpenTime: row.reached,
    error: row.error,
    startedAt: row.started,
    updatedAt: row.updated,
    finishedAt: row.finished,
  };
}
