import type { Pool, PoolClient } from "pg";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { OfflineFeatureStore, OfflineSeriesSession, OpenTimeRange, StoredFeatureValues } from "../features/ports";
import { lockSymbolSeries } from "./series-lock";

// Rows written per INSERT: bounded so one statement's parameter arrays stay a few MB.
const WRITE_BATCH = 50_000;

/** PostgreSQL adapter of the offline store: tables feature_value and feature_materialization. */
export class OfflineFeatureRepository implements OfflineFeatureStore {
  constructor(private readonly pool: Pool) {}

  async withSeriesLock<T>(symbol: string, timeframe: Timeframe, work: (session: OfflineSeriesSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await lockSymbolSeries(client, symbol);
      const result = await work(new SeriesSession(client, symbol, timeframeLabel(timeframe)));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

class SeriesSession implements OfflineSeriesSession {
  constructor(
    private readonly client: PoolClient,
    private readonly symbol: string,
    private readonly timeframe: string,
  ) {}

  async materializedThrough(featureIds: readonly number[]): Promise<Map<number, number>> {
    const result = await this.client.query<{ feature_id: number; through: number }>(
      `SELECT feature_id, (extract(epoch from through_open_time) * 1000)::float8 AS through
       FROM feature_materialization WHERE feature_id = ANY($1::int[]) AND symbol = $2 AND timeframe = $3`,
      [featureIds, this.symbol, this.timeframe],
    );
    return new Map(result.rows.map((row) => [row.feature_id, row.through]));
  }

  async readValues(featureId: number, range: OpenTimeRange): Promise<StoredFeatureValues> {
    const result = await this.client.query<[number, number | null]>({
      text: `SELECT (extract(epoch from open_time) * 1000)::float8, value FROM feature_value
             WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3
               AND open_time >= to_timestamp($4 / 1000.0) AND open_time <= to_timestamp($5 / 1000.0)
             ORDER BY open_time`,
      values: [featureId, this.symbol, this.timeframe, range.from, range.to],
      rowMode: "array",
    });
    const openTimes = new Float64Array(result.rows.length);
    const values = new Float64Array(result.rows.length);
    result.rows.forEach(([openTime, value], index) => {
      openTimes[index] = openTime;
      values[index] = value ?? Number.NaN;
    });
    return { openTimes, values };
  }

  async writeValues(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void> {
    for (let start = 0; start < openTimes.length; start += WRITE_BATCH) {
      const end = Math.min(start + WRITE_BATCH, openTimes.length);
      await this.client.query(
        `INSERT INTO feature_value (feature_id, symbol, timeframe, open_time, value)
         SELECT $1, $2, $3, to_timestamp(open_time_ms / 1000.0), value
         FROM unnest($4::float8[], $5::float8[]) AS written(open_time_ms, value)
         ON CONFLICT DO NOTHING`,
        [featureId, this.symbol, this.timeframe, Array.from(openTimes.subarray(start, end)), Array.from(values.subarray(start, end), nullWhenNaN)],
      );
    }
    await this.client.query(
      `INSERT INTO feature_materialization (feature_id, symbol, timeframe, through_open_time)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0))
       ON CONFLICT (feature_id, symbol, timeframe) DO UPDATE
         SET through_open_time = GREATEST(feature_materialization.through_open_time, excluded.through_open_time)`,
      [featureId, this.symbol, this.timeframe, throughOpenTime],
    );
  }
}

function nullWhenNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
