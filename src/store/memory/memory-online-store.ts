import type { LatestFeatureVector, OnlineFeatureStore } from "../../features/ports/online-feature-store";
import type { Timeframe } from "../../domain/timeframe";
import { seriesKey } from "../../domain/series-key";
import { mergeLatest, normalizeVector } from "../latest-vector-codec";

/**
 * The online store without Redis (no REDIS_URL): the latest vector per series in a Map of this
 * process. Same rules as the Redis store (mergeLatest; non-finite values as null); vectors are
 * copied in and out, so callers cannot alter what is stored. Never unavailable; lost on restart.
 */
export class MemoryOnlineFeatureStore implements OnlineFeatureStore {
  private readonly latest = new Map<string, LatestFeatureVector>();

  async writeLatest(symbol: string, timeframe: Timeframe, vector: LatestFeatureVector): Promise<void> {
    const key = seriesKey(symbol, timeframe);
    this.latest.set(key, mergeLatest(this.latest.get(key), normalizeVector(vector)));
  }

  async readLatest(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, LatestFeatureVector>> {
    const found = new Map<string, LatestFeatureVector>();
    for (const symbol of symbols) {
      const vector = this.latest.get(seriesKey(symbol, timeframe));
      if (vector !== undefined) found.set(symbol, { ...vector, values: { ...vector.values } });
    }
    return found;
  }
}
