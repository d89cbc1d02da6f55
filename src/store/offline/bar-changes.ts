import type { Pool, PoolClient } from "pg";
import { parseTimeframe, timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { BarChange } from "../../features/ports/bar-change-feed";

/** The PostgreSQL NOTIFY channel of committed bar changes (see store/postgres/notification-listener.ts). */
export const BAR_CHANGES_CHANNEL = "candela_bar_changes";

/** A change as the notification carries it: JSON with the timeframe's label. */
interface BarChangeNotice {
  readonly symbol: string;
  readonly timeframe: string;
  readonly firstChanged: number;
  readonly rewrittenFrom: number | null;
  readonly revision: number;
}

/**
 * Records a change of the stored bars of (symbol, timeframe) inside the writer's transaction: bumps the series'
 * revision in `series_state` when history was rewritten, and queues a NOTIFY on BAR_CHANGES_CHANNEL, which
 * PostgreSQL delivers to every listener when (and only if) the transaction commits, in commit order.
 * @param firstChanged open time (epoch ms) of the oldest bar written or deleted
 * @param rewrittenFrom open time (epoch ms) from which already stored bars changed, or null for an append
 * @returns the series' revision after the change
 */
export async function recordBarChange(client: PoolClient, symbol: string, timeframe: Timeframe, firstChanged: number, rewrittenFrom: number | null): Promise<number> {
  const label = timeframeLabel(timeframe);
  const bump = rewrittenFrom === null ? 0 : 1;
  const state = await client.query<{ revision: number }>(
    `INSERT INTO series_state (symbol, timeframe, revision) VALUES ($1, $2, $3)
     ON CONFLICT (symbol, timeframe) DO UPDATE SET revision = series_state.revision + $3
     RETURNING revision`,
    [symbol, label, bump],
  );
  const revision = state.rows[0].revision;
  const notice: BarChangeNotice = { symbol, timeframe: label, firstChanged, rewrittenFrom, revision };
  await client.query("SELECT pg_notify($1, $2)", [BAR_CHANGES_CHANNEL, JSON.stringify(notice)]);
  return revision;
}

/**
 * The change a notification's payload describes.
 * @throws Error when the payload is not a notice this module wrote (a bug or a foreign writer on the channel)
 */
export function parseBarChange(payload: string): BarChange {
  const notice = JSON.parse(payload) as Partial<BarChangeNotice>;
  if (typeof notice.symbol !== "string" || typeof notice.timeframe !== "string" || typeof notice.firstChanged !== "number" || typeof notice.revision !== "number") {
    throw new Error(`Malformed bar change notice on ${BAR_CHANGES_CHANNEL}: ${payload.slice(0, 200)}`);
  }
  return {
    symbol: notice.symbol,
    timeframe: parseTimeframe(notice.timeframe),
    firstChanged: notice.firstChanged,
    rewrittenFrom: typeof notice.rewrittenFrom === "number" ? notice.rewrittenFrom : null,
    revision: notice.revision,
  };
}

/** The revision of the stored series (symbol, timeframe): 0 when never rewritten. */
export async function seriesRevision(client: Pool | PoolClient, symbol: string, timeframe: Timeframe): Promise<number> {
  const result = await client.query<{ revision: number }>("SELECT revision FROM series_state WHERE symbol = $1 AND timeframe = $2", [symbol, timeframeLabel(timeframe)]);
  return result.rows[0]?.revision ?? 0;
}
