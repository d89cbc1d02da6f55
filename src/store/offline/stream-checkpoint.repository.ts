import { createHash } from "node:crypto";
import { deserialize, serialize } from "node:v8";
import type { Pool } from "pg";
import type { ObjectState } from "../../domain/object-state";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { CheckpointedFeature, StreamCheckpoint, StreamCheckpointStore } from "../../features/ports/stream-checkpoint-store";

interface CheckpointRow {
  through_open_time: Date;
  revision: number;
  bar_count: number;
  state: Buffer;
}

/**
 * PostgreSQL adapter of the checkpoint store: table `feature_stream_checkpoint`, one row per series and feature
 * list (keyed by a sha256 of the list, so instances keeping different features of a series do not overwrite each
 * other). The state is stored with v8's structured serialization, which keeps every double bit for bit (NaN, -0)
 * and typed arrays as they are.
 */
export class StreamCheckpointRepository implements StreamCheckpointStore {
  constructor(private readonly pool: Pool) {}

  async read(symbol: string, timeframe: Timeframe, features: readonly CheckpointedFeature[]): Promise<StreamCheckpoint | undefined> {
    const result = await this.pool.query<CheckpointRow>(
      "SELECT through_open_time, revision, bar_count, state FROM feature_stream_checkpoint WHERE symbol = $1 AND timeframe = $2 AND feature_list = $3",
      [symbol, timeframeLabel(timeframe), featureListKey(features)],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return {
      features,
      throughOpenTime: row.through_open_time.getTime(),
      revision: row.revision,
      barCount: row.bar_count,
      state: deserialize(row.state) as ObjectState,
    };
  }

  async write(symbol: string, timeframe: Timeframe, checkpoint: StreamCheckpoint): Promise<void> {
    await this.pool.query(
      `INSERT INTO feature_stream_checkpoint (symbol, timeframe, feature_list, features, through_open_time, revision, bar_count, state, written_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (symbol, timeframe, feature_list) DO UPDATE SET
         features = EXCLUDED.features, through_open_time = EXCLUDED.through_open_time, revision = EXCLUDED.revision,
         bar_count = EXCLUDED.bar_count, state = EXCLUDED.state, written_at = EXCLUDED.written_at`,
      [
        symbol,
        timeframeLabel(timeframe),
        featureListKey(checkpoint.features),
        JSON.stringify(checkpoint.features),
        new Date(checkpoint.throughOpenTime),
        checkpoint.revision,
        checkpoint.barCount,
        serialize(checkpoint.state),
      ],
    );
  }
}

/** sha256 (hex) of the ordered feature list: ids, fingerprints and algorithm versions. */
function featureListKey(features: readonly CheckpointedFeature[]): string {
  const text = features.map((feature) => `${feature.id}:${feature.fingerprint}:${feature.algorithmVersion}`).join("\n");
  return createHash("sha256").update(text).digest("hex");
}
