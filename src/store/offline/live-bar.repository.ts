import type { Pool } from "pg";
import type { Bar } from "../../domain/bar";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { LiveBarStore, LiveBarWrite } from "../../ingest/ports/live-bar-store";
import { checkOutClient } from "../postgres/client-checkout";
import { lockSymbolSeries } from "../postgres/series-lock";
import { recordBarChange, seriesRevision } from "./bar-changes";
import { truncateChunksFrom } from "./feature-value-chunks";

/** A row the upsert wrote: its open time (epoch ms) and whether it was new. */
interface WrittenRow {
  readonly open_time: number;
  readonly inserted: boolean;
}

/**
 * PostgreSQL adapter of LiveBarStore: one multi-row upsert per write (bars passed as arrays, unnested), in a
 * transaction holding the symbol's advisory series lock that imports and materialization also take.
 */
export class LiveBarRepository implements LiveBarStore {
  constructor(private readonly pool: Pool) {}

  async write(symbol: string, timeframe: Timeframe, bars: readonly Bar[]): Promise<LiveBarWrite> {
    const client = await checkOutClient(this.pool);
    try {
      await client.query("BEGIN");
      await lockSymbolSeries(client, symbol);
      await client.query("INSERT INTO instrument (symbol) VALUES ($1) ON CONFLICT (symbol) DO NOTHING", [symbol]);
      const label = timeframeLabel(timeframe);
      const newest = await client.query<{ open_time: number | null }>(
        "SELECT (extract(epoch from max(open_time)) * 1000)::float8 AS open_time FROM bar WHERE symbol = $1 AND timeframe = $2",
        [symbol, label],
      );
      const previousNewestOpenTime = newest.rows[0].open_time;
      const written = await client.query<WrittenRow>(
        `INSERT INTO bar (symbol, timeframe, open_time, open, high, low, close, volume)
         SELECT $1, $2, to_timestamp(t / 1000.0), o, h, l, c, v
         FROM unnest($3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[]) AS given(t, o, h, l, c, v)
         ON CONFLICT (symbol, timeframe, open_time) DO UPDATE
           SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
           WHERE (bar.open, bar.high, bar.low, bar.close, bar.volume)
                 IS DISTINCT FROM (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
         RETURNING (extract(epoch from open_time) * 1000)::float8 AS open_time, (xmax = 0) AS inserted`,
        [symbol, label, ...columnsOf(bars)],
      );
      const changedTimes = new Set(written.rows.map((row) => row.open_time));
      const changed = bars.filter((bar) => changedTimes.has(bar.openTime)).sort((a, b) => a.openTime - b.openTime);
      let rewrittenFrom: number | null = null;
      for (const bar of changed) {
        if (previousNewestOpenTime !== null && bar.openTime <= previousNewestOpenTime) {
          rewrittenFrom = bar.openTime;
          break;
        }
      }
      let revision: number;
      if (changed.length > 0) {
        await truncateChunksFrom(client, symbol, timeframe, changed[0].openTime);
        revision = await recordBarChange(client, symbol, timeframe, changed[0].openTime, rewrittenFrom);
      } else {
        revision = await seriesRevision(client, symbol, timeframe);
      }
      await client.query("COMMIT");
      const corrections = written.rows.filter((row) => !row.inserted).length;
      return { changed, corrections, duplicates: bars.length - changed.length, previousNewestOpenTime, rewrittenFrom, revision };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function columnsOf(bars: readonly Bar[]): number[][] {
  return [bars.map((bar) => bar.openTime), bars.map((bar) => bar.open), bars.map((bar) => bar.high), bars.map((bar) => bar.low), bars.map((bar) => bar.close), bars.map((bar) => bar.volume)];
}
