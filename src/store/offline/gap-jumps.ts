import type { Pool, PoolClient } from "pg";
import type { OpenTimeJump } from "../../ingest/ports/bar-import-store";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../../domain/timeframe";


/**
 * Finds where a stored series skips grid slots, in one pass of PostgreSQL over the primary-key index.
 * Whether a skipped slot is a gap or a market closure is the calendar's call (domain/gaps.ts).
 * @param queryable a pool, or the client of an open transaction to see its uncommitted rows
 */
export async function findOpenTimeJumps(queryable: Pool | PoolClient, symbol: string, timeframe: Timeframe): Promise<OpenTimeJump[]> {
  const result = await queryable.query<{ previous: number; next: number }>(
    `SELECT (extract(epoch from open_time) * 1000)::float8 AS previous,
            (extract(epoch from next_open_time) * 1000)::float8 AS next
     FROM (SELECT open_time, lead(open_time) OVER (ORDER BY open_time) AS next_open_time
           FROM bar WHERE symbol = $1 AND timeframe = $2) AS consecutive
     WHERE next_open_time - open_time > make_interval(secs => $3)`,
    [symbol, timeframeLabel(timeframe), timeframeDurationMs(timeframe) / 1000],
  );
  return result.rows.map((row) => ({ previousOpenTime: row.previous, nextOpenTime: row.next }));
}
