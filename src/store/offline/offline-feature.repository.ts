import type { Pool, PoolClient } from "pg";
import { checkOutClient } from "../postgres/client-checkout";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { OfflineFeatureStore, OfflineSeriesSession, OpenTimeRange, StoredFeatureValues } from "../../features/ports";
import { bytesToFloat64, float64ToBytes } from "./float64-bytes";
import { lockSymbolSeries } from "../postgres/series-lock";

/** Most values one feature_value_chunk row holds. */
export const CHUNK_SIZE = 4_096;

/**
 * PostgreSQL adapter of the offline store: tables feature_value_chunk (values of consecutive bars in chunks)
 * and feature_materialization. Writes requested during `withSeriesLock` run after `work` has returned its
 * result, in the same transaction and still holding the lock, so a caller gets computed values without
 * waiting for them to be stored; the next request for the symbol waits on the lock and then sees them.
 */
export class OfflineFeatureRepository implements OfflineFeatureStore {
  private readonly inFlight = new Set<Promise<void>>();

  /** @param onWriteFailure told when deferred writes fail (the values are then simply computed again later) */
  constructor(
    private readonly pool: Pool,
    private readonly onWriteFailure: (error: unknown) => void = () => undefined,
  ) {}

  async withSeriesLock<T>(symbol: string, timeframe: Timeframe, work: (session: OfflineSeriesSession) => Promise<T>): Promise<T> {
    const client = await checkOutClient(this.pool);
    let session: SeriesSession;
    let result: T;
    try {
      await client.query("BEGIN");
      await lockSymbolSeries(client, symbol);
      session = new SeriesSession(client, symbol, timeframeLabel(timeframe));
      result = await work(session);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      throw error;
    }
    const finishing = finish(client, session.deferredWrites).catch(this.onWriteFailure);
    this.inFlight.add(finishing);
    void finishing.finally(() => this.inFlight.delete(finishing));
    return result;
  }

  /** Resolves when every deferred write has been committed or rolled back (call before closing the pool). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}

async function finish(client: PoolClient, writes: readonly (() => Promise<void>)[]): Promise<void> {
  try {
    for (const write of writes) await write();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

class SeriesSession implements OfflineSeriesSession {
  readonly deferredWrites: (() => Promise<void>)[] = [];

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
    const result = await this.client.query<[Buffer, Buffer]>({
      text: `SELECT open_times, values FROM feature_value_chunk
             WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3
               AND last_open_time >= to_timestamp($4 / 1000.0) AND first_open_time <= to_timestamp($5 / 1000.0)
             ORDER BY first_open_time`,
      values: [featureId, this.symbol, this.timeframe, range.from, range.to],
      rowMode: "array",
    });
    const chunks = result.rows.map(([openTimes, values]) => ({ openTimes: bytesToFloat64(openTimes), values: bytesToFloat64(values) }));
    const length = chunks.reduce((sum, chunk) => sum + chunk.openTimes.length, 0);
    const openTimes = new Float64Array(length);
    const values = new Float64Array(length);
    let count = 0;
    for (const chunk of chunks) {
      // Only the first and last chunk can reach outside the range.
      let first = 0;
      let end = chunk.openTimes.length;
      while (first < end && chunk.openTimes[first] < range.from) first++;
      while (end > first && chunk.openTimes[end - 1] > range.to) end--;
      openTimes.set(chunk.openTimes.subarray(first, end), count);
      values.set(chunk.values.subarray(first, end), count);
      count += end - first;
    }
    return { openTimes: openTimes.subarray(0, count), values: values.subarray(0, count) };
  }

  writeValues(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void> {
    // Copies: the caller may reuse its buffers once it has its result.
    const times = Float64Array.from(openTimes);
    const stored = Float64Array.from(values);
    this.deferredWrites.push(() => this.append(featureId, times, stored, throughOpenTime));
    return Promise.resolve();
  }

  /** Appends values after the last chunk: first fills it up to CHUNK_SIZE, then adds new chunks. */
  private async append(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void> {
    const key = [featureId, this.symbol, this.timeframe];
    let start = 0;
    const last = await this.client.query<{ first_open_time: Date; size: number }>(
      `SELECT first_open_time, length(values) / 8 AS size FROM feature_value_chunk
       WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3 ORDER BY first_open_time DESC LIMIT 1`,
      key,
    );
    const room = last.rows.length === 0 ? 0 : CHUNK_SIZE - last.rows[0].size;
    if (room > 0 && openTimes.length > 0) {
      start = Math.min(room, openTimes.length);
      await this.client.query(
        `UPDATE feature_value_chunk SET open_times = open_times || $5::bytea, values = values || $6::bytea,
                last_open_time = to_timestamp($7 / 1000.0)
         WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3 AND first_open_time = $4`,
        [...key, last.rows[0].first_open_time, float64ToBytes(openTimes.subarray(0, start)), float64ToBytes(values.subarray(0, start)), openTimes[start - 1]],
      );
    }
    for (let from = start; from < openTimes.length; from += CHUNK_SIZE) {
      const to = Math.min(from + CHUNK_SIZE, openTimes.length);
      await this.client.query(
        `INSERT INTO feature_value_chunk (feature_id, symbol, timeframe, first_open_time, last_open_time, open_times, values)
         VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6::bytea, $7::bytea)`,
        [...key, openTimes[from], openTimes[to - 1], float64ToBytes(openTimes.subarray(from, to)), float64ToBytes(values.subarray(from, to))],
      );
    }
    await this.client.query(
      `INSERT INTO feature_materialization (feature_id, symbol, timeframe, through_open_time)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0))
       ON CONFLICT (feature_id, symbol, timeframe) DO UPDATE
         SET through_open_time = GREATEST(feature_materialization.through_open_time, excluded.through_open_time)`,
      [...key, throughOpenTime],
    );
  }
}
