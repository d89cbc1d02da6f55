import type { Bar, BarColumns } from "../../domain/bar";
import { seriesKey } from "../../domain/series-key";
import { timeframeDurationMs, type Timeframe } from "../../domain/timeframe";
import type { SeriesContext } from "../../indicators/series-context";
import type { FeatureDefinition } from "../feature-definition";
import type { LiveEventBus } from "../ports/live-events";
import { LiveTopic } from "../ports/live-events";
import type { MarketDataReader } from "../ports/market-data-reader";
import type { OfflineFeatureStore, OfflineSeriesSession } from "../ports/offline-feature-store";
import type { LatestFeatureVector, OnlineFeatureStore } from "../ports/online-feature-store";
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
}

/** What a live series reports (metrics, logs). */
export interface LiveSeriesObserver {
  /** Values of a closed bar were published, `lagMs` after the bar's close time. */
  readonly published?: (timeframe: Timeframe, lagMs: number) => void;
  /** Writing the online or offline store failed (the in-memory values keep serving; the offline path recomputes later). */
  readonly storeFailed?: (store: "online" | "offline", error: unknown) => void;
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

  /**
   * Replays every stored closed bar through fresh streams of `definitions` and materializes what the offline store
   * lacks; `features` becomes `definitions` once done.
   */
  private async rebuild(definitions: readonly FeatureDefinition[]): Promise<void> {
    const { reader, offlineStore, clock } = this.dependencies;
    this.revision = Math.max(this.revision, await reader.seriesRevision(this.symbol, this.timeframe));
    const ids = definitions.map((definition) => definition.id);
    const replay = await offlineStore.withSeriesLock(this.symbol, this.timeframe, async (session) => {
      const through = await session.materializedThrough(ids);
      const { columns } = await reader.readColumnsWithWarmup(this.symbol, this.timeframe, this.closedRange(EARLIEST_OPEN_TIME), 0);
      const streams = new FeatureStreams(definitions, this.context);
      const recent = new RecentValues(MAX_LATEST_WINDOW, definitions.length);
      const values = definitions.map(() => new Float64Array(columns.length));
      const row = new Float64Array(definitions.length);
      const bar = mutableBar();
      for (let index = 0; index < columns.length; index++) {
        streams.update(readRow(columns, index, bar), row);
        for (let feature = 0; feature < row.length; feature++) values[feature][index] = row[feature];
        if (index >= columns.length - MAX_LATEST_WINDOW) recent.push(bar.openTime, row);
      }
      if (columns.length > 0) await writeAfterMaterialized(session, definitions, through, columns.openTime, values);
      return { streams, recent, columns, row };
    });
    this.definitions = [...definitions];
    this.streams = replay.streams;
    this.recent = replay.recent;
    const { columns, row } = replay;
    this.lastOpenTime = columns.length > 0 ? columns.openTime[columns.length - 1] : undefined;
    this.latestVector = undefined;
    if (this.lastOpenTime !== undefined) await this.settle(this.lastOpenTime, row, clock());
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
    const ids = this.definitions.map((definition) => definition.id);
    await offlineStore
      .withSeriesLock(this.symbol, this.timeframe, async (session) => {
        const through = await session.materializedThrough(ids);
        // Only a contiguous prefix may be stored: skip features whose stored values end before the previous bar.
        const contiguous = this.definitions.filter((definition) => through.get(definition.id) === previous);
        await writeAfterMaterialized(session, contiguous, through, columns.openTime, contiguous.map((definition) => values[this.definitions.indexOf(definition)]));
      })
      .catch((error: unknown) => this.dependencies.observer.storeFailed?.("offline", error));
    await this.settle(columns.openTime[columns.length - 1], row, computedAt);
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

