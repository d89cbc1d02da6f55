import type { PoolClient } from "pg";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { ALL_TIMEFRAMES, timeframeDurationMs, timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { StoredFeatureValues } from "../../features/ports/offline-feature-store";
import { bytesToFloat64, float64ToBytes } from "./float64-bytes";

/**
 * The layout of the offline feature store, owned by this module alone: table `feature_value_chunk` holds the
 * values of one feature on one series in chunks of up to CHUNK_SIZE consecutive bars (open times and values as
 * little-endian float64 bytea), and `feature_materialization` the open time through which each (feature, series)
 * is stored, every bar from the series' first one on. All functions run on the caller's transaction.
 */

/** Most values one feature_value_chunk row holds. */
export const CHUNK_SIZE = 4_096;

/** One (feature, series) of the offline store; `timeframe` is the boundary label, e.g. "1h". */
export interface ChunkSeries {
  readonly featureId: number;
  readonly symbol: string;
  readonly timeframe: string;
}

/** Open time (epoch ms) through which each of `featureIds` is materialized on (symbol, timeframe label); absent when nothing is. */
export async function materializedThrough(client: PoolClient, symbol: string, timeframe: string, featureIds: readonly number[]): Promise<Map<number, number>> {
  const result = await client.query<{ feature_id: number; through: number }>(
    `SELECT feature_id, (extract(epoch from through_open_time) * 1000)::float8 AS through
     FROM feature_materialization WHERE feature_id = ANY($1::int[]) AND symbol = $2 AND timeframe = $3`,
    [featureIds, symbol, timeframe],
  );
  return new Map(result.rows.map((row) => [row.feature_id, row.through]));
}

/** Stored values of `series` for the bars with open time in `range`, oldest first. */
export async function readChunks(client: PoolClient, series: ChunkSeries, range: OpenTimeRange): Promise<StoredFeatureValues> {
  const result = await client.query<[Buffer, Buffer]>({
    text: `SELECT open_times, values FROM feature_value_chunk
           WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3
             AND last_open_time >= to_timestamp($4 / 1000.0) AND first_open_time <= to_timestamp($5 / 1000.0)
           ORDER BY first_open_time`,
    values: [series.featureId, series.symbol, series.timeframe, range.from, range.to],
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

/**
 * Appends values (bars after the materialized open time, oldest first) after the last chunk of `series`: first
 * fills that chunk up to CHUNK_SIZE, then adds new chunks; records the series as materialized through `throughOpenTime`.
 */
export async function appendChunks(client: PoolClient, series: ChunkSeries, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void> {
  const key = [series.featureId, series.symbol, series.timeframe];
  let start = 0;
  const last = await client.query<{ first_open_time: Date; size: number }>(
    `SELECT first_open_time, length(values) / 8 AS size FROM feature_value_chunk
     WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3 ORDER BY first_open_time DESC LIMIT 1`,
    key,
  );
  const room = last.rows.length === 0 ? 0 : CHUNK_SIZE - last.rows[0].size;
  if (room > 0 && openTimes.length > 0) {
    start = Math.min(room, openTimes.length);
    await client.query(
      `UPDATE feature_value_chunk SET open_times = open_times || $5::bytea, values = values || $6::bytea,
              last_open_time = to_timestamp($7 / 1000.0)
       WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3 AND first_open_time = $4`,
      [...key, last.rows[0].first_open_time, float64ToBytes(openTimes.subarray(0, start)), float64ToBytes(values.subarray(0, start)), openTimes[start - 1]],
    );
  }
  for (let from = start; from < openTimes.length; from += CHUNK_SIZE) {
    const to = Math.min(from + CHUNK_SIZE, openTimes.length);
    await client.query(
      `INSERT INTO feature_value_chunk (feature_id, symbol, timeframe, first_open_time, last_open_time, open_times, values)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6::bytea, $7::bytea)`,
      [...key, openTimes[from], openTimes[to - 1], float64ToBytes(openTimes.subarray(from, to)), float64ToBytes(values.subarray(from, to))],
    );
  }
  await client.query(
    `INSERT INTO feature_materialization (feature_id, symbol, timeframe, through_open_time)
     VALUES ($1, $2, $3, to_timestamp($4 / 1000.0))
     ON CONFLICT (feature_id, symbol, timeframe) DO UPDATE
       SET through_open_time = GREATEST(feature_materialization.through_open_time, excluded.through_open_time)`,
    [...key, throughOpenTime],
  );
}

/**
 * Drops the stored values of every feature of `symbol` that depend on bars of `timeframe` from `firstChanged`
 * (epoch ms) on: in `timeframe` and in every longer one (aggregated series are built from these bars), the values
 * from the bucket containing `firstChanged`. Materialization is pulled back to the last value kept, or forgotten
 * when none is left. The caller holds the symbol's series lock.
 */
export async function truncateChunksFrom(client: PoolClient, symbol: string, timeframe: Timeframe, firstChanged: number): Promise<void> {
  const duration = timeframeDurationMs(timeframe);
  const affected = ALL_TIMEFRAMES.filter((candidate) => timeframeDurationMs(candidate) >= duration);
  const cutoffs = `SELECT label, date_bin(make_interval(secs => seconds), to_timestamp($2 / 1000.0), 'epoch'::timestamptz) AS cutoff
                   FROM unnest($3::text[], $4::float8[]) AS affected(label, seconds)`;
  const parameters = [symbol, firstChanged, affected.map(timeframeLabel), affected.map((candidate) => timeframeDurationMs(candidate) / 1000)];
  // Chunks wholly from the cutoff on go; a chunk straddling it keeps its values before the cutoff.
  await client.query(
    `WITH cutoffs AS (${cutoffs})
     DELETE FROM feature_value_chunk v USING cutoffs c WHERE v.symbol = $1 AND v.timeframe = c.label AND v.first_open_time >= c.cutoff`,
    parameters,
  );
  const straddling = await client.query<{ feature_id: number; timeframe: string; first_open_time: Date; open_times: Buffer; cutoff: Date }>(
    `WITH cutoffs AS (${cutoffs})
     SELECT v.feature_id, v.timeframe, v.first_open_time, v.open_times, c.cutoff
     FROM feature_value_chunk v JOIN cutoffs c ON v.timeframe = c.label
     WHERE v.symbol = $1 AND v.last_open_time >= c.cutoff`,
    parameters,
  );
  for (const chunk of straddling.rows) {
    const openTimes = bytesToFloat64(chunk.open_times);
    const kept = openTimes.findIndex((openTime) => openTime >= chunk.cutoff.getTime());
    await client.query(
      `UPDATE feature_value_chunk
       SET open_times = substring(open_times from 1 for $5), values = substring(values from 1 for $5),
           last_open_time = to_timestamp($6 / 1000.0)
       WHERE feature_id = $1 AND symbol = $2 AND timeframe = $3 AND first_open_time = $4`,
      [chunk.feature_id, symbol, chunk.timeframe, chunk.first_open_time, kept * 8, openTimes[kept - 1]],
    );
  }
  await client.query(
    `WITH cutoffs AS (${cutoffs})
     DELETE FROM feature_materialization m USING cutoffs c
     WHERE m.symbol = $1 AND m.timeframe = c.label AND m.through_open_time >= c.cutoff
       AND NOT EXISTS (SELECT 1 FROM feature_value_chunk v WHERE v.feature_id = m.feature_id AND v.symbol = m.symbol AND v.timeframe = m.timeframe)`,
    parameters,
  );
  await client.query(
    `WITH cutoffs AS (${cutoffs})
     UPDATE feature_materialization m
     SET through_open_time = (SELECT max(v.last_open_time) FROM feature_value_chunk v
                              WHERE v.feature_id = m.feature_id AND v.symbol = m.symbol AND v.timeframe = m.timeframe)
     FROM cutoffs c WHERE m.symbol = $1 AND m.timeframe = c.label AND m.through_open_time >= c.cutoff`,
    parameters,
  );
}
