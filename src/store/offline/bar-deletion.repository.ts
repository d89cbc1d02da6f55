import type { Pool } from "pg";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { BarDeletion, BarDeletionStore } from "../../ingest/ports/bar-deletion-store";
import { checkOutClient } from "../postgres/client-checkout";
import { lockSymbolSeries } from "../postgres/series-lock";
import { recordBarChange } from "./bar-changes";
import { truncateChunksFrom } from "./feature-value-chunks";

/** PostgreSQL adapter of BarDeletionStore. */
export class BarDeletionRepository implements BarDeletionStore {
  constructor(private readonly pool: Pool) {}

  async deleteBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, dryRun: boolean): Promise<BarDeletion> {
    const client = await checkOutClient(this.pool);
    try {
      await client.query("BEGIN");
      await lockSymbolSeries(client, symbol);
      const where = "symbol = $1 AND timeframe = $2 AND open_time >= to_timestamp($3 / 1000.0) AND open_time <= to_timestamp($4 / 1000.0)";
      const values = [symbol, timeframeLabel(timeframe), range.from, range.to];
      const found = await client.query<{ n: string; first: number | null; last: number | null }>(
        `SELECT count(*) AS n, (extract(epoch from min(open_time)) * 1000)::float8 AS first, (extract(epoch from max(open_time)) * 1000)::float8 AS last
         FROM bar WHERE ${where}`,
        values,
      );
      const { n, first, last } = found.rows[0];
      const deletion = { bars: Number(n), firstOpenTime: first ?? undefined, lastOpenTime: last ?? undefined };
      if (!dryRun && first !== null) {
        await client.query(`DELETE FROM bar WHERE ${where}`, values);
        await truncateChunksFrom(client, symbol, timeframe, first);
        await recordBarChange(client, symbol, timeframe, first, first);
      }
      await client.query(dryRun ? "ROLLBACK" : "COMMIT");
      return deletion;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
