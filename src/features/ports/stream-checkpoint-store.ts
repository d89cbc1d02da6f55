import type { ObjectState } from "../../domain/object-state";
import type { Timeframe } from "../../domain/timeframe";

/** What a checkpoint's streams compute: a checkpoint restores only into exactly these features, in this order. */
export interface CheckpointedFeature {
  /** Feature definition id. */
  readonly id: number;
  /** The definition's fingerprint (indicator, parameters, output, timeframe). */
  readonly fingerprint: string;
  /** The running code's algorithm version of the indicator when the state was captured. */
  readonly algorithmVersion: number;
}

/** The streaming state of one live series' features after a closed bar, to resume from instead of replaying history. */
export interface StreamCheckpoint {
  readonly features: readonly CheckpointedFeature[];
  /** Open time (epoch ms, UTC) of the newest bar fed into the state. */
  readonly throughOpenTime: number;
  /** The series' revision when the state was captured: any later rewrite of history bumps it and voids the checkpoint. */
  readonly revision: number;
  /** Closed bars fed into the state. */
  readonly barCount: number;
  /** The captured state (captureState of the streams and the recent values). */
  readonly state: ObjectState;
}

/**
 * Where streaming state is checkpointed (issue: restart without re-warming). One checkpoint per series and feature
 * list; writing replaces it. Adapter: store/offline/stream-checkpoint.repository.ts (PostgreSQL).
 */
export interface StreamCheckpointStore {
  /**
   * The checkpoint of (symbol, timeframe) for exactly `features` (same ids, fingerprints, algorithm versions, order),
   * or undefined when there is none.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  read(symbol: string, timeframe: Timeframe, features: readonly CheckpointedFeature[]): Promise<StreamCheckpoint | undefined>;
  /**
   * Stores `checkpoint`, replacing the series' previous one for the same features.
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  write(symbol: string, timeframe: Timeframe, checkpoint: StreamCheckpoint): Promise<void>;
}
