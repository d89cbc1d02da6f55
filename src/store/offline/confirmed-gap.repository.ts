import type { Pool } from "pg";
import type { Gap } from "../../domain/gaps";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { ConfirmedGap, ConfirmedGapStore } from "../../features/ports/confirmed-gap-store";

/** PostgreSQL adapter of ConfirmedGapStore: the confirmed_gap table. */
export class ConfirmedGapRepository implements ConfirmedGapStore {
  constructor(private readonly pool: Pool) {}

  async confirmedGaps(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<ConfirmedGap[]> {
    const result = await this.pool.query<{ first: number; last: number; provider: string; confirmed: number }>(
      `SELECT (extract(epoch from first_missing_open_time) * 1000)::float8 AS first, (extract(epoch from last_missing_open_time) * 1000)::float8 AS last,
              provider, (extract(epoch from confirmed_at) * 1000)::float8 AS confirmed
       FROM confirmed_gap WHERE symbol = $1 AND timeframe = $2
         AND last_missing_open_time >= to_timestamp($3 / 1000.0) AND first_missing_open_time <= to_timestamp($4 / 1000.0)
       ORDER BY first_missing_open_time`,
      [symbol, timeframeLabel(timeframe), from, to],
    );
    const duration = timeframeDurationMs(timeframe);
    return result.rows.map((row) => ({
      firstMissingOpenTime: row.first,
      lastMissingOpenTime: row.last,
      missingBars: (row.last - row.first) / duration + 1,
      provider: row.provider,
      confirmedAt: row.confirmed,
    }));
  }

  async confirm(symbol: string, timeframe: Timeframe, gaps: readonly Gap[], provider: string): Promise<void> {
    if (gaps.length === 0) return;
    await this.pool.query(
      `INSERT INTO confirmed_gap (symbol, timeframe, first_missing_open_time, last_missing_open_time, provider)
       SELECT $1, $2, to_timestamp(first / 1000.0), to_timestamp(last / 1000.0), $5
       FROM unnest($3::float8[], $4::float8[]) AS given(first, last)
       ON CONFLICT (symbol, timeframe, first_missing_open_time) DO UPDATE
         SET last_missing_open_time = excluded.last_missing_open_time, provider = excluded.provider, confirmed_at = now()`,
      [symbol, timeframeLabel(timeframe), gaps.map((gap) => gap.firstMissingOpenTime), gaps.map((gap) => gap.lastMissingOpenTime), provider],
    );
  }
}
