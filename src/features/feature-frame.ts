import type { BarColumns } from "../domain/bar";
import type { Timeframe } from "../domain/timeframe";
import type { FeatureDefinition } from "./feature-definition";

/** Where the values of a feature column came from. */
export enum FeatureValueSource {
  /** Read from the offline store. */
  MATERIALIZED = "MATERIALIZED",
  /** Computed for this request from the stored bars and written to the offline store (write-through). */
  COMPUTED = "COMPUTED",
  /** The oldest values read from the offline store, the newer ones computed for this request and written through. */
  PARTLY_MATERIALIZED = "PARTLY_MATERIALIZED",
}

/** A request for feature values of one series. Times are epoch ms (UTC); range ends inclusive. */
export interface FeatureQuery {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from: number;
  readonly to: number;
  /** References such as "rsi_14" or "rsi_14@2". */
  readonly features: readonly string[];
  /** Point in time: only bars whose close time is at or before it are seen. Default: `now`. */
  readonly asOf?: number;
  /** Most bars (grid slots) the range may span. */
  readonly maxBars: number;
}

/** One feature's values aligned with the frame's open times; NaN where undefined. */
export interface FeatureColumn {
  readonly definition: FeatureDefinition;
  readonly values: Float64Array;
  readonly source: FeatureValueSource;
  /** How many of `values`, from the oldest, were already in the offline store; the rest were computed. */
  readonly materializedCount: number;
}

/** Bars of the range (closed and visible at `asOf`) and the requested feature columns. */
export interface FeatureFrame {
  readonly bars: BarColumns;
  readonly columns: readonly FeatureColumn[];
  /** The point in time the frame was cut at, epoch ms. */
  readonly asOf: number;
  readonly featureSetFingerprint: string;
  /** Open times in range of bars aggregated from a finer timeframe with source bars missing. */
  readonly incompleteOpenTimes: readonly number[];
}
