import { LRUCache } from "lru-cache";
import { ALL_TIMEFRAMES, type Timeframe } from "../domain/timeframe";
import { seriesKey } from "../domain/series-key";
import type { FeatureFrameSource } from "./ports/feature-frame-source";
import type { FeatureResolver } from "./ports/feature-resolver";
import type { MarketDataReader } from "./ports/market-data-reader";
import type { LatestFeatureVector, OnlineFeatureStore } from "./ports/online-feature-store";
import type { QueryCache } from "./ports/query-cache";
import { MAX_FEATURE_RANGE_BARS } from "./query-limits";

/**
 * How long the newest closed bar of a series, once read from PostgreSQL, is used without reading it again,
 * ms. Without it every request would query PostgreSQL. With LAST_CLOSED_MAX_AGE_MS it bounds how late
 * `latestFeatures` notices a bar that closed by the clock, or one stored without a cache invalidation
 * reaching this server; an import's invalidation (in this process, or from any process over Redis) drops it
 * at once.
 */
export const LAST_CLOSED_REUSE_MS = 250;

/**
 * Oldest newest-closed-bar answer still used while a fresh read runs in the background, ms: so requests do
 * not wait for PostgreSQL when the reused answer expires, and a bar shows up at most this late.
 */
export const LAST_CLOSED_MAX_AGE_MS = 2 * LAST_CLOSED_REUSE_MS;

/** Most series whose newest closed bar is kept (least recently used dropped first). */
const LAST_CLOSED_CAPACITY = 100_000;

/** The newest closed bar of a series as read at `readAt` (epoch ms); `openTime` undefined when none. */
interface LastClosedBar {
  readonly openTime: number | undefined;
  readonly readAt: number;
}

/** The newest closed bar's features of one symbol; `values` keyed by exact feature reference ("rsi_14@1"). */
export interface LatestFeatures extends LatestFeatureVector {
  readonly symbol: string;
}

/**
 * The latest feature vector per series (DESIGN.md retrieval path 3). The online store holds one vector
 * per series; a vector older than the series' newest closed bar (or missing) is computed through the
 * offline path for that bar and written back. The newest closed bar comes from PostgreSQL and is reused
 * (LAST_CLOSED_REUSE_MS, then LAST_CLOSED_MAX_AGE_MS while a fresh read runs), so answers are behind the
 * stored bars by at most LAST_CLOSED_MAX_AGE_MS (not at all after an import whose cache invalidation
 * reaches this server).
 */
export class LatestFeaturesService {
  /** Refreshes under way, by series, bar and features: concurrent requests share one computation. */
  private readonly refreshing = new Map<string, Promise<LatestFeatureVector | undefined>>();
  /** The newest closed bar per series ("BTCUSDT/1h"), reused for LAST_CLOSED_REUSE_MS. */
  private readonly lastClosed = new LRUCache<string, LastClosedBar>({ max: LAST_CLOSED_CAPACITY });
  /** Reads of the newest closed bar under way, by series: requests arriving meanwhile wait for them instead of asking again. */
  private readonly lastClosedReads = new Map<string, Promise<number | undefined>>();
  /** Bumped by every bar change heard of: a read that began before one is not kept. */
  private barChanges = 0;

  /**
   * @param registry resolves the requested feature references
   * @param frames computes a vector that the online store lacks (the offline path)
   * @param reader where the newest closed bar of each series is read
   * @param seriesChanges where this service hears that a symbol's bars changed (the query cache's
   *   invalidations), to forget its newest closed bars at once
   * @param clock epoch ms
   */
  constructor(
    private readonly registry: FeatureResolver,
    private readonly frames: FeatureFrameSource,
    private readonly reader: Pick<MarketDataReader, "lastClosedOpenTimes">,
    private readonly onlineStore: OnlineFeatureStore,
    seriesChanges: Pick<QueryCache, "onSeriesChanged">,
    private readonly clock: () => number = Date.now,
  ) {
    seriesChanges.onSeriesChanged((symbol) => this.forgetLastClosed(symbol));
  }

  /**
   * @param symbols tickers (the GraphQL boundary bounds them: MAX_LATEST_SYMBOLS)
   * @param features feature references ("rsi_14", "rsi_14@2")
   * @returns the exact references of the features ("rsi_14@1"), and one vector per symbol that has a closed
   *   bar, in request order
   * @throws DomainError BAD_USER_INPUT (bad references), NOT_FOUND (feature);
   *   UNAVAILABLE when the online store cannot be reached
   */
  async latest(
    symbols: readonly string[],
    timeframe: Timeframe,
    features: readonly string[],
  ): Promise<{ references: string[]; vectors: LatestFeatures[] }> {
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

  /**
   * Open time of each symbol's newest closed bar (absent: none): reused when read less than
   * LAST_CLOSED_REUSE_MS ago; used while a read in the background replaces it when read less than
   * LAST_CLOSED_MAX_AGE_MS ago; otherwise from a read under way for the series, or read from PostgreSQL
   * (one query for all the symbols that need it).
   */
  private async lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, number>> {
    const now = this.clock();
    const found = new Map<string, number>();
    const waiting: [string, Promise<number | undefined>][] = [];
    const unread: string[] = [];
    const refresh: string[] = [];
    for (const symbol of symbols) {
      const key = seriesKey(symbol, timeframe);
      const known = this.lastClosed.get(key);
      const underway = this.lastClosedReads.get(key);
      const age = known === undefined ? Number.POSITIVE_INFINITY : now - known.readAt;
      if (known !== undefined && age < LAST_CLOSED_MAX_AGE_MS) {
        if (known.openTime !== undefined) found.set(symbol, known.openTime);
        if (age >= LAST_CLOSED_REUSE_MS && underway === undefined) refresh.push(symbol);
      } else if (underway !== undefined) waiting.push([symbol, underway]);
      else unread.push(symbol);
    }
    // In the background: this request does not wait for it, and its failure reaches only later requests.
    if (refresh.length > 0) this.readLastClosed(refresh, timeframe, now);
    if (unread.length > 0) {
      const reads = this.readLastClosed(unread, timeframe, now);
      unread.forEach((symbol, index) => waiting.push([symbol, reads[index]]));
    }
    // All at once: a failed read rejects every promise made from it, and each must be awaited.
    const openTimes = await Promise.all(waiting.map(([, openTime]) => openTime));
    waiting.forEach(([symbol], index) => {
      if (openTimes[index] !== undefined) found.set(symbol, openTimes[index]);
    });
    return found;
  }

  /**
   * Reads the newest closed bars of `symbols` from PostgreSQL in one query and keeps them, unless their bars
   * changed meanwhile; registers the read as under way for each series.
   * @returns each symbol's open time (undefined: no closed bar), in the order of `symbols`
   */
  private readLastClosed(symbols: readonly string[], timeframe: Timeframe, now: number): Promise<number | undefined>[] {
    const changesBefore = this.barChanges;
    const keys = symbols.map((symbol) => seriesKey(symbol, timeframe));
    const read = this.reader.lastClosedOpenTimes(symbols, timeframe, now).then((openTimes) => {
      if (this.barChanges === changesBefore) {
        symbols.forEach((symbol, index) => this.lastClosed.set(keys[index], { openTime: openTimes.get(symbol), readAt: now }));
      }
      return openTimes;
    });
    return keys.map((key, index) => {
      const openTime = read.then((openTimes) => openTimes.get(symbols[index]));
      this.lastClosedReads.set(key, openTime);
      // Handled here so that a failed read that only later requests would have waited for is not an
      // unhandled rejection; whoever awaits `openTime` still gets the failure.
      openTime.catch(() => undefined).finally(() => {
        if (this.lastClosedReads.get(key) === openTime) this.lastClosedReads.delete(key);
      });
      return openTime;
    });
  }

  /** Drops the newest closed bars of `symbol` at every timeframe (of every symbol when undefined), kept or being read. */
  private forgetLastClosed(symbol: string | undefined): void {
    this.barChanges++;
    // Reads under way began before the change: later requests must not wait for them.
    if (symbol === undefined) {
      this.lastClosed.clear();
      this.lastClosedReads.clear();
    } else {
      for (const timeframe of ALL_TIMEFRAMES) {
        const key = seriesKey(symbol, timeframe);
        this.lastClosed.delete(key);
        this.lastClosedReads.delete(key);
      }
    }
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
    const frame = await this.frames.retrieve({ symbol, timeframe, from: openTime, to: openTime, features: references, maxBars: MAX_FEATURE_RANGE_BARS });
    // An aggregated series whose newest bucket holds no source bar (a gap) has no vector to give.
    if (frame.bars.length === 0) return undefined;
    const values: Record<string, number | null> = previous !== undefined && previous.openTime === openTime ? { ...previous.values } : {};
    frame.columns.forEach((column, index) => {
      const value = column.values[0];
      values[references[index]] = Number.isNaN(value) ? null : value;
    });
    const vector = { openTime, computedAt: this.clock(), values };
    await this.onlineStore.writeLatest(symbol, timeframe, vector);
    return vector;
  }
}
