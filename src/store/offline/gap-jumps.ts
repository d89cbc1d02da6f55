import type { Pool, PoolClient } from "pg";
import type { OpenTimeJump } from "../../ingest/ports/bar-import-store";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../../domain/timeframe";

/**
 * Finds where a stored series skips grid slots, in one pass of PostgreSQL over the primary-key index.
 * Whether a skipped slot is a gap or a market closure is the calendar's call (domain/gaps.ts).
 * @param queryable a pool, or the client of an open transaction to see its uncommitted rows
 * @param range only the stored bars with open times in it (epoch ms, both ends inclusive); the whole series when omitted
 */
export async function findOpenTimeJumps(queryable: Pool | PoolClient, symbol: string, timeframe: Timeframe, range?: OpenTimeRange): Promise<OpenTimeJump[]> {
  const within = range === undefined ? "" : "AND open_time BETWEEN to_timestamp($4 / 1000.0) AND to_timestamp($5 / 1000.0)";
  const result = await queryable.query<{ previous: number; next: number }>(
    `SELECT (extract(epoch from open_time) * 1000)::float8 AS previous,
            (extract(epoch from next_open_time) * 1000)::float8 AS next
     FROM (SELECT open_time, lead(open_time) OVER (ORDER BY open_time) AS next_open_time
           FROM bar WHERE symbol = $1 AND timeframe = $2 ${within}) AS consecutive
     WHERE next_open_time - open_time > make_interval(secs => $3)`,
    [symbol, timeframeLabel(timeframe), timeframeDurationMs(timeframe) / 1000, ...(range === undefined ? [] : [range.from, range.to])],
  );
  return result.rows.map((row) => ({ previousOpenTime: row.previous, nextOpenTime: row.next }));
}
