import { seriesKey } from "../../domain/series-key";
import { timeframeDurationMs, type Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";
import type { FeatureDefinition } from "../feature-definition";
import type { BarChange, BarChangeFeed } from "../ports/bar-change-feed";
import { LiveTopic, type LiveEventBus } from "../ports/live-events";
import { LiveSeries, type LiveSeriesDependencies } from "./live-series";
import type { LiveSeriesSource } from "./live-series-source";

/** What the live materializer is built from. */
export interface LiveMaterializerDependencies extends LiveSeriesDependencies {
  /** Where committed bar changes are heard of, from any writer and any process. */
  readonly changes: BarChangeFeed;
  /** The instance-shared bus on which forming bars arrive (BAR_FORMING). */
  readonly sharedEvents: LiveEventBus;
}

/**
 * The live materializer of one server instance (DESIGN.md, live path): for every series whose features are in use
 * (queried by `latestFeatures` or subscribed), a LiveSeries keeps their streaming state, fed one closed bar at a
 * time as bars are committed. It hears of every committed bar change through the BarChangeFeed (PostgreSQL
 * LISTEN/NOTIFY, whatever process wrote the bars: live ingest, a CSV import, a deletion) and of forming bars on the
 * shared event bus. Series of a timeframe aggregated from stored finer bars (1h from 1m) advance when a bucket
 * completes. Series stay active for the life of the process.
 */
export class LiveMaterializer implements LiveSeriesSource {
  private readonly active = new Map<string, LiveSeries>();
  private readonly formingSubscriptions: AsyncIterableIterator<unknown>[] = [];

  constructor(private readonly dependencies: LiveMaterializerDependencies) {
    dependencies.changes.onBarsChanged((change) => this.onBarsChanged(change));
  }

  /**
   * Keeps `definitions` current on the series (symbol, timeframe), building its state from the stored bars the first
   * time (one replay of the series' history) and rebuilding it when features are added.
   * @param calendar the instrument's trading calendar
   * @returns the live series, with every requested feature current
   * @throws DomainError UNAVAILABLE when the store cannot be reached
   */
  async activate(symbol: string, timeframe: Timeframe, calendar: TradingCalendar, definitions: readonly FeatureDefinition[]): Promise<LiveSeries> {
    const key = seriesKey(symbol, timeframe);
    let series = this.active.get(key);
    if (series === undefined) {
      series = new LiveSeries(symbol, timeframe, { timeframe, calendar }, this.dependencies);
      this.active.set(key, series);
      this.followFormingBars(series);
    }
    await series.addFeatures(definitions);
    return series;
  }

  /** The live series (symbol, timeframe) when active. */
  get(symbol: string, timeframe: Timeframe): LiveSeries | undefined {
    return this.active.get(seriesKey(symbol, timeframe));
  }

  /** How many series are active (for metrics). */
  get size(): number {
    return this.active.size;
  }

  /** The active series (for metrics: how fresh each one's newest values are). */
  get series(): readonly LiveSeries[] {
    return [...this.active.values()];
  }

  /**
   * Stops following forming bars and checkpoints every active series after its pending work (so a restart resumes
   * instead of replaying history); resolves when the checkpoints are written or have failed.
   */
  async close(): Promise<void> {
    for (const subscription of this.formingSubscriptions.splice(0)) void subscription.return?.();
    await Promise.all([...this.active.values()].map((series) => series.checkpoint().catch(() => undefined)));
  }

  /**
   * Routes a committed change to the active series it affects: those of the same symbol whose timeframe is the
   * written one or aggregated from it (a longer multiple); every series when changes may have been missed.
   */
  private onBarsChanged(change: BarChange | undefined): void {
    for (const series of this.active.values()) {
      if (change === undefined) {
        void series.synchronize(undefined, undefined).catch(() => undefined);
        continue;
      }
      const written = timeframeDurationMs(change.timeframe);
      const own = timeframeDurationMs(series.timeframe);
      if (series.symbol !== change.symbol || own < written || own % written !== 0) continue;
      void series.synchronize(change.rewrittenFrom, change.revision).catch(() => undefined);
    }
  }

  /** Previews each forming bar of the series' own timeframe as it arrives, until `close`. */
  private followFormingBars(series: LiveSeries): void {
    const subscription = this.dependencies.sharedEvents.subscribe(LiveTopic.BAR_FORMING, series.key);
    this.formingSubscriptions.push(subscription);
    void (async () => {
      for await (const event of subscription) await series.preview(event.bar).catch(() => undefined);
    })();
  }
}

