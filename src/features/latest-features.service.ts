import { LRUCache } from "lru-cache";
import { ALL_TIMEFRAMES, timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import { badUserInput } from "../domain/errors";
import { seriesCacheKey, type LatestFeatureVector, type OnlineFeatureStore, type SeriesChangeListener } from "./cache-ports";
import type { FeatureRegistryService } from "./feature-registry.service";
import type { FeatureRetrievalService } from "./feature-retrieval.service";
import { MAX_FEATURE_RANGE_BARS } from "./query-limits";
import type { MarketDataReader } from "./ports";

/** Most symbols one `latestFeatures` request may name. */
export const MAX_LATEST_SYMBOLS = 500;

/**
 * How long the newest closed bar of a series, once read from PostgreSQL, is reused, ms. It bounds how late
 * `latestFeatures` notices a bar that closed by the clock, or one stored without a cache invalidation
 * reaching this server; an import's invalidation (in this process, or from any process over Redis) drops it
 * at once. Without it every request would query PostgreSQL.
 */
export const LAST_CLOSED_REUSE_MS = 250;

/** Most series whose newest closed bar is kept (least recently used dropped first). */
const LAST_CLOSED_CAPACITY = 100_000;

/** The newest closed bar of a series as read at `readAt` (epoch ms); `openTime` undefined when none. */
interface LastClosedBar {
  readonly openTime: number | undefined;
  readonly readAt: number;
}

/** The newest closed bar's features of one symbol; `values` keyed by feature reference ("rsi_14@1"). */
export interface LatestFeatures extends LatestFeatureVector {
  readonly symbol: string;
}

/**
 * The latest feature vector per series (DESIGN.md retrieval path 3). The online store holds one vector
 * per series; a vector older than the series' newest closed bar (or missing) is computed through the
 * offline path for that bar and written back. The newest closed bar comes from PostgreSQL and is reused
 * for LAST_CLOSED_REUSE_MS, so answers are behind the stored bars by at most that long (not at all after
 * an import whose cache invalidation reaches this server).
 */
export class LatestFeaturesService {
  /** Refreshes under way, by series, bar and features: concurrent requests share one computation. */
  private readonly refreshing = new Map<string, Promise<LatestFeatureVector | undefined>>();
  /** The newest closed bar per series ("BTCUSDT/1h"), reused for LAST_CLOSED_REUSE_MS. */
  private readonly lastClosed = new LRUCache<string, LastClosedBar>({ max: LAST_CLOSED_CAPACITY });
  /** Bumped by every bar change heard of: a read that began before one is not kept. */
  private barChanges = 0;

  /**
   * @param seriesChanges where this service hears that a symbol's bars changed (the query cache's
   *   invalidations), to forget its newest closed bars at once
   * @param clock epoch ms
   */
  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly retrieval: FeatureRetrievalService,
    private readonly reader: MarketDataReader,
    private readonly onlineStore: OnlineFeatureStore,
    seriesChanges: { onSeriesChanged(listener: SeriesChangeListener): void },
    private readonly clock: () => number = Date.now,
  ) {
    seriesChanges.onSeriesChanged((symbol) => this.forgetLastClosed(symbol));
  }

  /**
   * @returns the exact references of the features ("rsi_14@1"), and one vector per symbol that has a closed
   *   bar, in request order
   * @throws DomainError BAD_USER_INPUT (no or too many symbols, references), NOT_FOUND (feature, symbol);
   *   UNAVAILABLE when the online store cannot be reached
   */
  async latest(
    symbols: readonly string[],
    timeframe: Timeframe,
    features: readonly string[],
  ): Promise<{ references: string[]; vectors: LatestFeatures[] }> {
    if (symbols.length === 0 || symbols.length > MAX_LATEST_SYMBOLS) {
      throw badUserInput(`Name between 1 and ${MAX_LATEST_SYMBOLS} symbols; got ${symbols.length}.`);
    }
    if (features.length === 0) throw badUserInput("Name at least one feature (see `featureDefinitions`).");
    const definitions = await this.registry.resolve(features);
    const references = definitions.map((definition) => `${definition.name}@${definition.version}`);
    const [stored, lastClosed] = await Promise.all([this.onlineStore.readLatest(symbols, timeframe), this.lastClosedOpenTimes(symbols, timeframe)]);
    const answers: LatestFeatures[] = [];
    for (const symbol of symbols) {
      const last = lastClosed.get(symbol);
      if (last === undefined) continue;
      const vector = stored.get(symbol);
      const current = vector !== undefined && vector.openTime >= last && references.every((reference) => reference in vector.values);
      const latest = current ? vector : await this.sharedRefresh(symbol, timeframe, last, references, vector);
      if (latest !== undefined) answers.push({ symbol, ...latest });
    }
    return { references, vectors: answers };
  }

  /** Open time of each symbol's newest closed bar (absent: none), from the reuse cache or PostgreSQL. */
  private async lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, number>> {
    const now = this.clock();
    const found = new Map<string, number>();
    const unknown: string[] = [];
    for (const symbol of symbols) {
      const known = this.lastClosed.get(seriesCacheKey(symbol, timeframe));
      if (known === undefined || now - known.readAt >= LAST_CLOSED_REUSE_MS) unknown.push(symbol);
      else if (known.openTime !== undefined) found.set(symbol, known.openTime);
    }
    if (unknown.length === 0) return found;
    const changesBefore = this.barChanges;
    const read = await this.reader.lastClosedOpenTimes(unknown, timeframe, now);
    for (const symbol of unknown) {
      const openTime = read.get(symbol);
      if (openTime !== undefined) found.set(symbol, openTime);
      if (this.barChanges === changesBefore) this.lastClosed.set(seriesCacheKey(symbol, timeframe), { openTime, readAt: now });
    }
    return found;
  }

  /** Drops the newest closed bars of `symbol` at every timeframe (of every symbol when undefined). */
  private forgetLastClosed(symbol: string | undefined): void {
    this.barChanges++;
    if (symbol === undefined) this.lastClosed.clear();
    else for (const timeframe of ALL_TIMEFRAMES) this.lastClosed.delete(seriesCacheKey(symbol, timeframe));
  }

  private sharedRefresh(
    symbol: string,
    timeframe: Timeframe,
    openTime: number,
    references: readonly string[],
    previous: LatestFeatureVector | undefined,
  ): Promise<LatestFeatureVector | undefined> {
    const key = JSON.stringify([symbol, timeframe, openTime, references]);
    let refresh = this.refreshing.get(key);
    if (refresh === undefined) {
      refresh = this.refresh(symbol, timeframe, openTime, references, previous).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, refresh);
    }
    return refresh;
  }

  /**
   * Computes the vector of the bar opening at `openTime` and stores it, merged with the features already
   * stored for that bar; undefined when no bar opens there.
   */
  private async refresh(
    symbol: string,
    timeframe: Timeframe,
    openTime: number,
    references: readonly string[],
    previous: LatestFeatureVector | undefined,
  ): Promise<LatestFeatureVector | undefined> {
    const frame = await this.retrieval.retrieve({ symbol, timeframe, from: openTime, to: openTime, features: references, maxBars: MAX_FEATURE_RANGE_BARS });
    // An aggregated series whose newest bucket holds no source bar (a gap) has no vector to give.
    if (frame.bars.length === 0) return undefined;
    const values: Record<string, number | null> = previous !== undefined && previous.openTime === openTime ? { ...previous.values } : {};
    frame.columns.forEach((column, index) => {
      const value = column.values[0];
      values[references[index]] = Number.isNaN(value) ? null : value;
    });
    const vector = { openTime, asOf: openTime + timeframeDurationMs(timeframe), values };
    await this.onlineStore.writeLatest(symbol, timeframe, vector);
    return vector;
  }
}
