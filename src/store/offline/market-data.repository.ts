import type { Pool } from "pg";
import { allocateBarColumns } from "../../domain/bar";
import type { Instrument, SeriesSummary } from "../../domain/instrument";
import { ALL_TIMEFRAMES, parseTimeframe, timeframeDurationMs, timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { BarPageRequest, ColumnsWithWarmup, MarketDataReader, SeriesBar } from "../../features/ports/market-data-reader";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { calendarFromColumns, withClosures, type InstrumentClosures, type TradingCalendarColumns } from "../../domain/trading-calendar";
import { seriesRevision } from "./bar-changes";
import { findOpenTimeJumps } from "./gap-jumps";
import { gapsBetween, type Gap } from "../../domain/gaps";
import { queryCancellably } from "../postgres/cancellation";
import type { PrismaClient } from "../postgres/generated/prisma/client";

// Open times leave PostgreSQL as epoch milliseconds in float8: exact for ms-precision instants and far
// cheaper to decode than timestamptz text.
const OPEN_TIME_MS = `(extract(epoch from open_time) * 1000)::float8`;
const BAR_COLUMNS = `${OPEN_TIME_MS} AS "openTime", open, high, low, close, volume`;

/**
 * PostgreSQL adapter of MarketDataReader. Simple lookups go through Prisma; range reads use raw SQL with
 * array row mode, which avoids building an object per row for series of 100,000+ bars.
 */
export class MarketDataRepository implements MarketDataReader {
  /** @param closures closed dates ("YYYY-MM-DD" → reason) configured per symbol, added to the stored calendars */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: Pool,
    private readonly closures: InstrumentClosures = new Map(),
  ) {}

  async listInstruments(): Promise<Instrument[]> {
    const rows = await this.prisma.instrument.findMany({ orderBy: { symbol: "asc" } });
    return rows.map((row) => this.toInstrument(row));
  }

  async findInstruments(symbols: readonly string[]): Promise<Map<string, Instrument>> {
    const rows = await this.prisma.instrument.findMany({ where: { symbol: { in: [...symbols] } } });
    return new Map(rows.map((row) => [row.symbol, this.toInstrument(row)]));
  }

  async seriesGaps(symbol: string, timeframe: Timeframe): Promise<Gap[]> {
    const instrument = (await this.findInstruments([symbol])).get(symbol);
    if (instrument === undefined) return [];
    const jumps = await findOpenTimeJumps(this.pool, symbol, timeframe);
    return jumps.flatMap((jump) => gapsBetween(jump.previousOpenTime, jump.nextOpenTime, timeframe, instrument.calendar));
  }

  async seriesSummaries(symbols: readonly string[]): Promise<Map<string, SeriesSummary[]>> {
    const result = await this.pool.query<{ symbol: string; timeframe: string; count: string; first: number; last: number }>(
      `SELECT symbol, timeframe, count(*) AS count,
              (extract(epoch from min(open_time)) * 1000)::float8 AS first,
              (extract(epoch from max(open_time)) * 1000)::float8 AS last
       FROM bar WHERE symbol = ANY($1) GROUP BY symbol, timeframe`,
      [symbols],
    );
    const bySymbol = new Map<string, SeriesSummary[]>(symbols.map((symbol) => [symbol, []]));
    for (const row of result.rows) {
      bySymbol.get(row.symbol)?.push({
        symbol: row.symbol,
        timeframe: parseTimeframe(row.timeframe),
        barCount: Number(row.count),
        firstOpenTime: row.first,
        lastOpenTime: row.last,
      });
    }
    for (const list of bySymbol.values()) list.sort((a, b) => timeframeDurationMs(a.timeframe) - timeframeDurationMs(b.timeframe));
    return bySymbol;
  }

  async lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe, now: number): Promise<Map<string, number>> {
    // Named: every latestFeatures request runs it, and a prepared statement skips PostgreSQL's parse and plan.
    const result = await this.pool.query<{ symbol: string; open_time: number }>({
      name: "last-closed-open-times",
      text: `SELECT requested.symbol, (extract(epoch from newest.open_time) * 1000)::float8 AS open_time
       FROM unnest($1::text[]) AS requested(symbol)
       CROSS JOIN LATERAL (SELECT open_time FROM bar
                           WHERE symbol = requested.symbol AND timeframe = $2 AND open_time <= to_timestamp($3 / 1000.0)
                           ORDER BY open_time DESC LIMIT 1) AS newest`,
      values: [symbols, timeframeLabel(timeframe), now - timeframeDurationMs(timeframe)],
    });
    return new Map(result.rows.map((row) => [row.symbol, row.open_time]));
  }

  private toInstrument(row: TradingCalendarColumns & { symbol: string }): Instrument {
    const calendar = calendarFromColumns(row);
    const extra = this.closures.get(row.symbol);
    return { symbol: row.symbol, calendar: extra === undefined ? calendar : withClosures(calendar, calendar.closures.holidays, extra) };
  }

  seriesRevision(symbol: string, timeframe: Timeframe): Promise<number> {
    return seriesRevision(this.pool, symbol, timeframe);
  }

  async closedBarProfile(symbol: string, timeframe: Timeframe, now: number, recentBars: number): Promise<{ barCount: number; recentOpenTimes: Float64Array }> {
    const closedBy = now - timeframeDurationMs(timeframe);
    const values = [symbol, timeframeLabel(timeframe), closedBy];
    const [count, recent] = await Promise.all([
      this.pool.query<{ n: string }>("SELECT count(*) AS n FROM bar WHERE symbol = $1 AND timeframe = $2 AND open_time <= to_timestamp($3 / 1000.0)", values),
      this.pool.query<[number]>({
        text: `SELECT ${OPEN_TIME_MS} FROM bar WHERE symbol = $1 AND timeframe = $2 AND open_time <= to_timestamp($3 / 1000.0)
               ORDER BY open_time DESC LIMIT $4::bigint`,
        values: [...values, Number.isFinite(recentBars) ? recentBars : null],
        rowMode: "array",
      }),
    ]);
    const recentOpenTimes = Float64Array.from(recent.rows, (row) => row[0]).reverse();
    return { barCount: Number(count.rows[0].n), recentOpenTimes };
  }

  async storedTimeframes(symbol: string): Promise<Timeframe[]> {
    // One index probe per timeframe: cheaper than a DISTINCT over every bar of the symbol.
    const result = await this.pool.query<{ timeframe: string }>(
      `SELECT label AS timeframe FROM unnest($2::text[]) WITH ORDINALITY AS timeframes(label, position)
       WHERE EXISTS (SELECT 1 FROM bar WHERE symbol = $1 AND timeframe = label) ORDER BY position`,
      [symbol, ALL_TIMEFRAMES.map(timeframeLabel)],
    );
    return result.rows.map((row) => parseTimeframe(row.timeframe));
  }

  async readBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, request: BarPageRequest): Promise<SeriesBar[]> {
    const { afterOpenTime, limit } = request;
    const lowerBound = afterOpenTime === undefined ? range.from : Math.max(range.from, afterOpenTime + 1);
    const result = await this.pool.query<SeriesBar>(
      `SELECT ${BAR_COLUMNS}, true AS complete FROM bar
       WHERE symbol = $1 AND timeframe = $2 AND open_time >= to_timestamp($3 / 1000.0) AND open_time <= to_timestamp($4 / 1000.0)
       ORDER BY open_time LIMIT $5`,
      [symbol, timeframeLabel(timeframe), lowerBound, range.to, limit],
    );
    return result.rows;
  }

  async readColumnsWithWarmup(symbol: string, timeframe: Timeframe, range: OpenTimeRange, warmupBars: number, signal?: AbortSignal): Promise<ColumnsWithWarmup> {
    const result = await queryCancellably<WarmupBarRow>(this.pool, {
      text: `SELECT * FROM (
               SELECT ${BAR_COLUMNS}, true AS warmup FROM bar
               WHERE symbol = $1 AND timeframe = $2 AND open_time < to_timestamp($3 / 1000.0)
               ORDER BY open_time DESC LIMIT $5::bigint) AS history
             UNION ALL
             SELECT ${BAR_COLUMNS}, false FROM bar
             WHERE symbol = $1 AND timeframe = $2 AND open_time >= to_timestamp($3 / 1000.0) AND open_time <= to_timestamp($4 / 1000.0)
             ORDER BY 1`,
      values: [symbol, timeframeLabel(timeframe), range.from, range.to, Number.isFinite(warmupBars) ? warmupBars : null],
      rowMode: "array",
    }, signal);
    signal?.throwIfAborted();
    const rows = result.rows;
    const columns = allocateBarColumns(rows.length);
    let warmupCount = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      columns.openTime[i] = row[0];
      columns.open[i] = row[1];
      columns.high[i] = row[2];
      columns.low[i] = row[3];
      columns.close[i] = row[4];
      columns.volume[i] = row[5];
      if (row[6]) warmupCount++;
    }
    return { columns, warmupBars: warmupCount, incompleteOpenTimes: [] };
  }
}

/** openTime (epoch ms), open, high, low, close, volume, and whether the row lies before the range. */
type WarmupBarRow = [number, number, number, number, number, number, boolean];
