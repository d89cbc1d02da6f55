import { gapsBetween } from "../domain/gaps";
import { seriesKey } from "../domain/series-key";
import { floorToGrid, timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import type { TradingCalendar } from "../domain/trading-calendar";
import type { FeatureDefinition } from "../features/feature-definition";
import type { FeatureResolver } from "../features/ports/feature-resolver";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { BackfillService } from "./backfill.service";
import type { LiveBar, LiveIngestService } from "./live-ingest.service";
import { BackfillStatus, type BackfillJob } from "./ports/backfill-store";
import type { LiveFeed, MarketDataProvider } from "./ports/market-data-provider";
import type { SeriesLeases } from "./ports/series-leases";

/** One series of the watchlist (CANDELA_WATCHLIST_FILE). */
export interface WatchedSeries {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** The provider's name, e.g. "binance". */
  readonly provider: string;
  /** The instrument's calendar when it is new (default: the provider's for the symbol, else around the clock). */
  readonly calendar?: TradingCalendar;
  /** Feature references kept current on the series (the live materializer), e.g. ["rsi_14"]. */
  readonly features: readonly string[];
  /** Closed bars the series holds at least, counted back from now: fetched (and their gaps repaired) at start. */
  readonly historyBars: number;
}

/** What the watchlist reports, for logs and metrics. */
export interface WatchlistEvents {
  /** This process took the series over (it catches it up, follows its feed and repairs its gaps). */
  readonly onLeading?: (series: string) => void;
  /** A catch-up or repair backfill ended. */
  readonly onBackfilled?: (series: string, reason: "catch-up" | "repair" | "reconnect", job: BackfillJob) => void;
  /** Something failed; it is retried (the feed reconnects, the next bar repairs). */
  readonly onError?: (series: string, error: unknown) => void;
}

/** What the watchlist is built from. */
export interface WatchlistDependencies {
  readonly providers: ReadonlyMap<string, MarketDataProvider>;
  readonly backfill: BackfillService;
  readonly ingest: Pick<LiveIngestService, "ingest">;
  readonly leases: SeriesLeases;
  readonly reader: MarketDataReader;
  readonly registry: FeatureResolver;
  /** Keeps features current on a series (LiveMaterializer.activate). */
  readonly activate: (symbol: string, timeframe: Timeframe, calendar: TradingCalendar, definitions: readonly FeatureDefinition[]) => Promise<unknown>;
  readonly events?: WatchlistEvents;
  /** Epoch ms. */
  readonly clock?: () => number;
  /** Wait before a failed catch-up is tried again, ms (default 5 s). */
  readonly retryMs?: number;
}

/**
 * Keeps the watchlist's series live (issue 8): for each one, the process that holds its lease (one across every
 * instance; another takes over when that process dies) catches it up from its newest stored bar, or `historyBars`
 * back, to now (repairing gaps in that window), keeps its features current, then follows the provider's live feed:
 * closed and forming bars go through the live ingest path; a reconnected feed backfills what it missed; a closed bar
 * that skips open slots of the calendar is stored (readiness reports GAP_DETECTED), then the hole is fetched and stored,
 * and the live series rebuilds and swaps its state in one step. Holes the provider has no bars for become confirmed
 * gaps. Other instances hear of every stored bar through the pipeline's events.
 */
export class WatchlistService {
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly leading = new Set<string>();

  constructor(
    private readonly series: readonly WatchedSeries[],
    private readonly dependencies: WatchlistDependencies,
  ) {}

  /** Starts following every series in the background. */
  start(): void {
    for (const entry of this.series) this.loops.push(this.follow(entry));
  }

  /** The series this process leads now ("BTCUSDT/1m"). */
  get leadingSeries(): string[] {
    return [...this.leading];
  }

  /** Stops every feed and backfill; resolves when they have stopped. */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.loops);
  }

  /** Takes the series' lease (waiting while another process holds it) and leads it until the lease is lost or closed. */
  private async follow(entry: WatchedSeries): Promise<void> {
    const key = seriesKey(entry.symbol, entry.timeframe);
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        const lease = await this.dependencies.leases.acquire(`watch/${key}`, signal);
        this.leading.add(key);
        this.dependencies.events?.onLeading?.(key);
        try {
          await new SeriesLeader(entry, this.dependencies, signal).lead(lease.lost);
        } finally {
          this.leading.delete(key);
          await lease.release();
        }
      } catch (error) {
        if (signal.aborted) return;
        this.dependencies.events?.onError?.(key, error);
        await pause(this.dependencies.retryMs ?? 5_000, signal);
      }
    }
  }
}

/** One led series: its catch-up, its feed, and the repairs of its gaps, one task at a time. */
class SeriesLeader {
  private readonly key: string;
  private readonly duration: number;
  private readonly clock: () => number;
  private queue: Promise<void> = Promise.resolve();
  /** Open time of the newest closed bar stored (by this leader or found stored). */
  private newest: number | undefined;
  private calendar!: TradingCalendar;

  constructor(
    private readonly entry: WatchedSeries,
    private readonly dependencies: WatchlistDependencies,
    private readonly signal: AbortSignal,
  ) {
    this.key = seriesKey(entry.symbol, entry.timeframe);
    this.duration = timeframeDurationMs(entry.timeframe);
    this.clock = dependencies.clock ?? Date.now;
  }

  /** Catches up, activates the features and follows the feed until `lost` settles or the watchlist closes. */
  async lead(lost: Promise<void>): Promise<void> {
    const provider = this.dependencies.providers.get(this.entry.provider);
    if (provider === undefined) throw new Error(`provider "${this.entry.provider}" is not configured`);
    await this.catchUp("catch-up");
    const instrument = (await this.dependencies.reader.findInstruments([this.entry.symbol])).get(this.entry.symbol);
    if (instrument === undefined) throw new Error(`the provider has no bars of ${this.key} in the history window`);
    this.calendar = instrument.calendar;
    if (this.entry.features.length > 0) {
      const definitions = await this.dependencies.registry.resolve(this.entry.features);
      await this.dependencies.activate(this.entry.symbol, this.entry.timeframe, this.calendar, definitions);
    }
    const feed: LiveFeed = provider.live(this.entry.symbol, this.entry.timeframe, {
      onBar: (bar) => void this.enqueue(() => this.receive(bar)),
      onReconnected: () => void this.enqueue(() => this.catchUp("reconnect")),
      onError: (error) => this.dependencies.events?.onError?.(this.key, error),
    });
    try {
      await Promise.race([lost, new Promise<void>((resolve) => this.signal.addEventListener("abort", () => resolve(), { once: true }))]);
    } finally {
      await feed.close();
      await this.queue;
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.signal.aborted ? undefined : task()));
    this.queue = run.catch((error: unknown) => {
      if (!this.signal.aborted) this.dependencies.events?.onError?.(this.key, error);
    });
    return this.queue;
  }

  /** Backfills from the newest stored bar (or `historyBars` back, whichever is older) to the newest closed bar. */
  private async catchUp(reason: "catch-up" | "reconnect"): Promise<void> {
    const { symbol, timeframe, provider, historyBars, calendar } = this.entry;
    const now = this.clock();
    const to = floorToGrid(now, timeframe) - this.duration;
    const newest = (await this.dependencies.reader.lastClosedOpenTimes([symbol], timeframe, now)).get(symbol);
    const windowStart = to - (historyBars - 1) * this.duration;
    const from = newest === undefined ? windowStart : Math.min(windowStart, newest + this.duration);
    const job = await this.dependencies.backfill.run({ symbol, timeframe, provider, from, to }, { signal: this.signal, calendar });
    this.report(reason, job);
    this.newest = Math.max(newest ?? -Infinity, job.reachedOpenTime ?? -Infinity);
  }

  /** Ingests a bar of the feed; a closed bar after a hole is stored first, then the hole is repaired. */
  private async receive(bar: LiveBar): Promise<void> {
    const { symbol, timeframe, provider } = this.entry;
    await this.dependencies.ingest.ingest(symbol, timeframe, [bar]);
    if (!bar.closed) return;
    const previous = this.newest;
    this.newest = Math.max(previous ?? -Infinity, bar.openTime);
    if (previous === undefined || bar.openTime <= previous + this.duration) return;
    if (gapsBetween(previous, bar.openTime, timeframe, this.calendar).length === 0) return;
    const job = await this.dependencies.backfill.run(
      { symbol, timeframe, provider, from: previous + this.duration, to: bar.openTime - this.duration },
      { signal: this.signal },
    );
    this.report("repair", job);
  }

  private report(reason: "catch-up" | "repair" | "reconnect", job: BackfillJob): void {
    this.dependencies.events?.onBackfilled?.(this.key, reason, job);
    if (job.status === BackfillStatus.FAILED) throw new Error(`${reason} backfill failed: ${job.error ?? "unknown"}`);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
