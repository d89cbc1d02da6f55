import { computationOfFeature } from "../feature-computation";
import type { Bar, BarColumns } from "../../domain/bar";
import { captureState, restoreState } from "../../domain/object-state";
import { seriesKey } from "../../domain/series-key";
import { timeframeDurationMs, type Timeframe } from "../../domain/timeframe";
import type { SeriesContext } from "../../indicators/series-context";
import type { FeatureDefinition } from "../feature-definition";
import type { LiveEventBus } from "../ports/live-events";
import { LiveTopic } from "../ports/live-events";
import type { MarketDataReader } from "../ports/market-data-reader";
import type { OfflineFeatureStore, OfflineSeriesSession } from "../ports/offline-feature-store";
import type { LatestFeatureVector, OnlineFeatureStore } from "../ports/online-feature-store";
import type { CheckpointedFeature, StreamCheckpoint, StreamCheckpointStore } from "../ports/stream-checkpoint-store";
import { EARLIEST_OPEN_TIME, MAX_LATEST_WINDOW } from "../query-limits";
import { FeatureStreams } from "./feature-streams";
import type { LiveSeriesView } from "./live-series-source";
import { RecentValues, type RecentWindow } from "./recent-values";

/** What a live series needs from the rest of the program. */
export interface LiveSeriesDependencies {
  readonly reader: MarketDataReader;
  readonly offlineStore: OfflineFeatureStore;
  readonly onlineStore: OnlineFeatureStore;
  /** Where feature values are published to this instance's subscribers. */
  readonly localEvents: LiveEventBus;
  readonly observer: LiveSeriesObserver;
  /** Epoch ms. */
  readonly clock: () => number;
  /** Where streaming state is checkpointed; without it every activation replays the series' whole history. */
  readonly checkpoints?: StreamCheckpointStore;
  /** Closed bars advanced between two checkpoints (default DEFAULT_CHECKPOINT_EVERY_BARS). */
  readonly checkpointEveryBars?: number;
}

/** Closed bars advanced between two checkpoints of a live series when not configured. */
export const DEFAULT_CHECKPOINT_EVERY_BARS = 100;

/** Where a live series' state came from when it was (re)built. */
export enum StateOrigin {
  /** A checkpoint, plus the bars stored after it. */
  CHECKPOINT = "checkpoint",
  /** A replay of the series' whole history. */
  HISTORY = "history",
}

/** What a live series reports (metrics, logs). */
export interface LiveSeriesObserver {
  /** Values of a closed bar were published, `lagMs` after the bar's close time. */
  readonly published?: (timeframe: Timeframe, lagMs: number) => void;
  /**
   * Writing the online or offline store or a checkpoint failed (the in-memory values keep serving; the offline path
   * recomputes later; the next checkpoint is tried after the next bars).
   */
  readonly storeFailed?: (store: "online" | "offline" | "checkpoint", error: unknown) => void;
  /** The state was built: from a checkpoint or the whole history, with `bars` closed bars read to do it. */
  readonly stateBuilt?: (origin: StateOrigin, bars: number) => void;
}

/**
 * The live state of one series (symbol, timeframe) for a set of features: their streams, fed every closed bar of
 * the series from its first one, so every value equals the historical value of the same bar bit for bit; the
 * newest vector and the last MAX_LATEST_WINDOW values in memory. Each advance writes the online store and
 * materializes the new values into the offline store, and publishes them (FEATURES_UPDATED). All work on the series
 * runs one task at a time, in order (`enqueue`).
 */
export class LiveSeries implements LiveSeriesView {
  readonly key: string;
  private definitions: readonly FeatureDefinition[] = [];
  private streams: FeatureStreams | undefined;
  private recent: RecentValues | undefined;
  private lastOpenTime: number | undefined;
  private latestVector: LatestFeatureVector | undefined;
  private revision = 0;
  /** Closed bars fed into the streams. */
  private barCount = 0;
  private barsSinceCheckpoint = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    readonly context: SeriesContext,
    private readonly dependencies: LiveSeriesDependencies,
  ) {
    this.key = seriesKey(symbol, timeframe);
  }

  /** The features this series keeps current. */
  get features(): readonly FeatureDefinition[] {
    return this.definitions;
  }

  /** The newest closed bar's vector (values keyed by "name@version"); undefined before the first bar. */
  get latest(): LatestFeatureVector | undefined {
    return this.latestVector;
  }

  /** The values of the newest `count` closed bars (at most MAX_LATEST_WINDOW), oldest first, in `features` order. */
  window(count: number): RecentWindow | undefined {
    return this.recent?.last(count);
  }

  /** Runs `task` after every task queued before it; resolves or rejects with it (a failure does not stop later tasks). */
  enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Adds features (rebuilding the state from the store when any is new); resolves when they are current. */
  addFeatures(definitions: readonly FeatureDefinition[]): Promise<void> {
    return this.enqueue(async () => {
      const known = new Set(this.definitions.map((definition) => definition.id));
      const added = definitions.filter((definition) => !known.has(definition.id));
      if (added.length === 0 && this.streams !== undefined) return;
      await this.rebuild([...this.definitions, ...added]);
    });
  }

  /**
   * Brings the state up to the stored bars after a change: rebuilds it from the series' first bar when history
   * changed at or before the newest bar already fed (`rewrittenFrom`, epoch ms; null for an append; undefined when
   * unknown), else feeds the new closed bars one at a time.
   */
  synchronize(rewrittenFrom: number | null | undefined, revision: number | undefined): Promise<void> {
    return this.enqueue(async () => {
      if (revision !== undefined) this.revision = Math.max(this.revision, revision);
      const duration = timeframeDurationMs(this.timeframe);
      const rewritten = rewrittenFrom === undefined || (rewrittenFrom !== null && this.lastOpenTime !== undefined && rewrittenFrom < this.lastOpenTime + duration);
      if (this.streams === undefined || rewritten) await this.rebuild(this.definitions);
      else await this.advance();
    });
  }

  /**
   * Publishes the values of a still-forming bar (final: false), computed without changing the state; ignored unless
   * it follows the newest closed bar. Never stored.
   */
  preview(bar: Bar): Promise<void> {
    return this.enqueue(async () => {
      const streams = this.streams;
      if (streams === undefined || (this.lastOpenTime !== undefined && bar.openTime <= this.lastOpenTime)) return;
      const values = new Float64Array(this.definitions.length);
      streams.preview(bar, values);
      this.publish(bar.openTime, values, false, this.dependencies.clock());
    });
  }

  /** Writes a checkpoint of the current state now (at shutdown), after the tasks queued before. */
  checkpoint(): Promise<void> {
    return this.enqueue(() => this.writeCheckpoint());
  }

  /**
   * Builds fresh streams of `definitions` and feeds them every stored closed bar, resuming from the series' checkpoint
   * when one fits (same features and code, same revision of history, offline store materialized through it), and
   * materializes what the offline store lacks; `features` becomes `definitions` once done. Checkpoints the result unless
   * it is the checkpoint it resumed from.
   */
  private async rebuild(definitions: readonly FeatureDefinition[]): Promise<void> {
    const { reader, offlineStore, clock, observer } = this.dependencies;
    const revision = await reader.seriesRevision(this.symbol, this.timeframe);
    this.revision = Math.max(this.revision, revision);
    const checkpoint = await this.readCheckpoint(definitions, revision);
    const ids = definitions.map((definition) => definition.id);
    const replay = await offlineStore.withSeriesLock(this.symbol, this.timeframe, async (session) => {
      const through = await session.materializedThrough(ids);
      const usable = checkpoint !== undefined && ids.every((id) => (through.get(id) ?? -Infinity) >= checkpoint.throughOpenTime);
      const resumed = usable ? this.resume(definitions, checkpoint) : undefined;
      const streams = resumed?.streams ?? new FeatureStreams(definitions, this.context);
      const recent = resumed?.recent ?? new RecentValues(MAX_LATEST_WINDOW, definitions.length);
      const from = resumed === undefined ? EARLIEST_OPEN_TIME : checkpoint!.throughOpenTime + 1;
      const { columns } = await reader.readColumnsWithWarmup(this.symbol, this.timeframe, this.closedRange(from), 0);
      const values = definitions.map(() => new Float64Array(columns.length));
      const row = new Float64Array(definitions.length);
      const bar = mutableBar();
      for (let index = 0; index < columns.length; index++) {
        streams.update(readRow(columns, index, bar), row);
        for (let feature = 0; feature < row.length; feature++) values[feature][index] = row[feature];
        if (index >= columns.length - MAX_LATEST_WINDOW) recent.push(bar.openTime, row);
      }
      if (columns.length > 0) await writeAfterMaterialized(session, definitions, through, columns.openTime, values);
      const lastOpenTime = columns.length > 0 ? columns.openTime[columns.length - 1] : resumed === undefined ? undefined : checkpoint!.throughOpenTime;
      if (columns.length === 0 && resumed !== undefined) newestValues(recent, row);
      const barCount = (resumed === undefined ? 0 : checkpoint!.barCount) + columns.length;
      return { streams, recent, row, lastOpenTime, barCount, origin: resumed === undefined ? StateOrigin.HISTORY : StateOrigin.CHECKPOINT, read: columns.length };
    });
    observer.stateBuilt?.(replay.origin, replay.read);
    this.definitions = [...definitions];
    this.streams = replay.streams;
    this.recent = replay.recent;
    this.barCount = replay.barCount;
    this.lastOpenTime = replay.lastOpenTime;
    this.latestVector = undefined;
    if (this.lastOpenTime !== undefined) await this.settle(this.lastOpenTime, replay.row, clock());
    // A checkpoint that needed no bar after it is still current.
    if (replay.origin === StateOrigin.HISTORY || replay.read > 0) await this.writeCheckpoint();
  }

  /** The features' checkpoint when it was taken at the series' current revision; undefined otherwise or unreadable. */
  private async readCheckpoint(definitions: readonly FeatureDefinition[], revision: number): Promise<StreamCheckpoint | undefined> {
    const { checkpoints, observer } = this.dependencies;
    if (checkpoints === undefined || definitions.length === 0) return undefined;
    try {
      const checkpoint = await checkpoints.read(this.symbol, this.timeframe, checkpointedFeatures(definitions));
      return checkpoint?.revision === revision ? checkpoint : undefined;
    } catch (error) {
      observer.storeFailed?.("checkpoint", error);
      return undefined;
    }
  }

  /** Streams and recent values in the checkpoint's state; undefined when the state does not fit them. */
  private resume(definitions: readonly FeatureDefinition[], checkpoint: StreamCheckpoint): { streams: FeatureStreams; recent: RecentValues } | undefined {
    const streams = new FeatureStreams(definitions, this.context);
    const recent = new RecentValues(MAX_LATEST_WINDOW, definitions.length);
    const { state } = checkpoint;
    try {
      if (state === null || typeof state !== "object" || Array.isArray(state) || ArrayBuffer.isView(state)) throw new RangeError("Not a live series state.");
      streams.restoreState(state.streams);
      restoreState(recent, state.recent, "recent");
      return { streams, recent };
    } catch {
      return undefined; // Captured by other code (a changed stream or window layout): replay instead.
    }
  }

  /** Stores the current state as the series' checkpoint; a failure is reported, never thrown. */
  private async writeCheckpoint(): Promise<void> {
    const { checkpoints, observer } = this.dependencies;
    if (checkpoints === undefined || this.streams === undefined || this.recent === undefined || this.lastOpenTime === undefined) return;
    this.barsSinceCheckpoint = 0;
    const checkpoint: StreamCheckpoint = {
      features: checkpointedFeatures(this.definitions),
      throughOpenTime: this.lastOpenTime,
      revision: this.revision,
      barCount: this.barCount,
      state: { streams: this.streams.captureState(), recent: captureState(this.recent) },
    };
    await checkpoints.write(this.symbol, this.timeframe, checkpoint).catch((error: unknown) => observer.storeFailed?.("checkpoint", error));
  }

  /** Feeds the closed bars stored after the newest one fed, one at a time. */
  private async advance(): Promise<void> {
    const { reader, offlineStore, clock } = this.dependencies;
    const previous = this.lastOpenTime;
    const from = previous === undefined ? EARLIEST_OPEN_TIME : previous + 1;
    const { columns } = await reader.readColumnsWithWarmup(this.symbol, this.timeframe, this.closedRange(from), 0);
    const streams = this.streams;
    if (columns.length === 0 || streams === undefined) return;
    const values = this.definitions.map(() => new Float64Array(columns.length));
    const row = new Float64Array(this.definitions.length);
    const bar = mutableBar();
    const computedAt = clock();
    for (let index = 0; index < columns.length; index++) {
      streams.update(readRow(columns, index, bar), row);
      for (let feature = 0; feature < row.length; feature++) values[feature][index] = row[feature];
      this.recent?.push(bar.openTime, row);
      this.lastOpenTime = bar.openTime;
      if (index < columns.length - 1) this.publish(bar.openTime, row, true, computedAt);
    }
    // Subscribers first: the newest values are published before they are persisted (a database round trip later).
    await this.settle(columns.openTime[columns.length - 1], row, computedAt);
    const ids = this.definitions.map((definition) => definition.id);
    await offlineStore
      .withSeriesLock(this.symbol, this.timeframe, async (session) => {
        const through = await session.materializedThrough(ids);
        // Only a contiguous prefix may be stored: skip features whose stored values end before the previous bar.
        const contiguous = this.definitions.filter((definition) => through.get(definition.id) === previous);
        await writeAfterMaterialized(session, contiguous, through, columns.openTime, contiguous.map((definition) => values[this.definitions.indexOf(definition)]));
      })
      .catch((error: unknown) => this.dependencies.observer.storeFailed?.("offline", error));
    this.barCount += columns.length;
    this.barsSinceCheckpoint += columns.length;
    if (this.barsSinceCheckpoint >= (this.dependencies.checkpointEveryBars ?? DEFAULT_CHECKPOINT_EVERY_BARS)) await this.writeCheckpoint();
  }

  /** Makes the newest bar's values the latest vector: in memory, in the online store, and published. */
  private async settle(openTime: number, row: Float64Array, computedAt: number): Promise<void> {
    const values: Record<string, number | null> = {};
    this.definitions.forEach((definition, feature) => {
      values[`${definition.name}@${definition.version}`] = Number.isNaN(row[feature]) ? null : row[feature];
    });
    this.latestVector = { openTime, computedAt, revision: this.revision, values };
    this.publish(openTime, row, true, computedAt);
    await this.dependencies.onlineStore
      .writeLatest(this.symbol, this.timeframe, this.latestVector)
      .catch((error: unknown) => this.dependencies.observer.storeFailed?.("online", error));
  }

  private publish(openTime: number, row: Float64Array, final: boolean, computedAt: number): void {
    const values: Record<string, number | null> = {};
    this.definitions.forEach((definition, feature) => {
      values[`${definition.name}@${definition.version}`] = Number.isNaN(row[feature]) ? null : row[feature];
    });
    this.dependencies.localEvents.publish(LiveTopic.FEATURES_UPDATED, this.key, {
      symbol: this.symbol,
      timeframe: this.timeframe,
      openTime,
      final,
      revision: this.revision,
      computedAt,
      values,
    });
    if (final) this.dependencies.observer.published?.(this.timeframe, this.dependencies.clock() - (openTime + timeframeDurationMs(this.timeframe)));
  }

  /** Open times from `from` through the newest bar closed by now. */
  private closedRange(from: number) {
    return { from, to: this.dependencies.clock() - timeframeDurationMs(this.timeframe) };
  }
}

/** The tags a checkpoint of `definitions` carries: ids, fingerprints and the running code's algorithm versions. */
function checkpointedFeatures(definitions: readonly FeatureDefinition[]): CheckpointedFeature[] {
  return definitions.map((definition) => ({ id: definition.id, fingerprint: definition.fingerprint, algorithmVersion: computationOfFeature(definition).computation.version }));
}

/** Writes the newest bar's values held by `recent` (definition order) into `row`. */
function newestValues(recent: RecentValues, row: Float64Array): void {
  const { values } = recent.last(1);
  values.forEach((column, feature) => {
    row[feature] = column[0];
  });
}

/** A reusable bar that `readRow` overwrites, so replaying a long history allocates nothing per bar. */
function mutableBar(): { -readonly [K in keyof Bar]: Bar[K] } {
  return { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
}

function readRow(columns: BarColumns, index: number, bar: { -readonly [K in keyof Bar]: Bar[K] }): Bar {
  bar.openTime = columns.openTime[index];
  bar.open = columns.open[index];
  bar.high = columns.high[index];
  bar.low = columns.low[index];
  bar.close = columns.close[index];
  bar.volume = columns.volume[index];
  return bar;
}

/**
 * Writes each feature's values for the bars after its materialized open time (`through`; all of them when it has
 * none), keeping the offline store a contiguous prefix of the series.
 */
async function writeAfterMaterialized(
  session: OfflineSeriesSession,
  definitions: readonly FeatureDefinition[],
  through: ReadonlyMap<number, number>,
  openTimes: Float64Array,
  values: readonly Float64Array[],
): Promise<void> {
  const last = openTimes[openTimes.length - 1];
  for (let feature = 0; feature < definitions.length; feature++) {
    const stored = through.get(definitions[feature].id);
    let first = 0;
    if (stored !== undefined) while (first < openTimes.length && openTimes[first] <= stored) first++;
    if (first < openTimes.length) await session.writeValues(definitions[feature].id, openTimes.subarray(first), values[feature].subarray(first), last);
  }
}

