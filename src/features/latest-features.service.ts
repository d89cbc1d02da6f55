import { timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import { badUserInput } from "../domain/errors";
import type { LatestFeatureVector, OnlineFeatureStore } from "./cache-ports";
import type { FeatureRegistryService } from "./feature-registry.service";
import type { FeatureRetrievalService } from "./feature-retrieval.service";
import { MAX_FEATURE_RANGE_BARS } from "./query-limits";
import type { MarketDataReader } from "./ports";

/** Most symbols one `latestFeatures` request may name. */
export const MAX_LATEST_SYMBOLS = 500;

/** The newest closed bar's features of one symbol; `values` keyed by feature reference ("rsi_14@1"). */
export interface LatestFeatures extends LatestFeatureVector {
  readonly symbol: string;
}

/**
 * The latest feature vector per series (DESIGN.md retrieval path 3). The online store holds one vector
 * per series; a vector older than the series' newest closed bar (or missing) is computed through the
 * offline path for that bar and written back, so answers are never behind the stored bars.
 */
export class LatestFeaturesService {
  /** Refreshes under way, by series, bar and features: concurrent requests share one computation. */
  private readonly refreshing = new Map<string, Promise<LatestFeatureVector | undefined>>();

  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly retrieval: FeatureRetrievalService,
    private readonly reader: MarketDataReader,
    private readonly onlineStore: OnlineFeatureStore,
    private readonly clock: () => number = Date.now,
  ) {}

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
    const [stored, lastClosed] = await Promise.all([
      this.onlineStore.readLatest(symbols, timeframe),
      this.reader.lastClosedOpenTimes(symbols, timeframe, this.clock()),
    ]);
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
