import type { LatestFeatureVector, OnlineFeatureStore } from "../../features/ports/online-feature-store";
import type { Timeframe } from "../../domain/timeframe";
import { seriesKey } from "../../domain/series-key";
import { normalizeVector } from "../latest-vector-codec";

/**
 * The online store without Redis (no REDIS_URL): the latest vector per series in a Map of this
 * process. Same rules as the Redis store (never back in time, non-finite values as null); vectors are
 * copied in and out, so callers cannot alter what is stored. Never unavailable; lost on restart.
 */
export class MemoryOnlineFeatureStore implements OnlineFeatureStore {
  private readonly latest = new Map<string, LatestFeatureVector>();

  async writeLatest(symbol: string, timeframe: Timeframe, vector: LatestFeatureVector): Promise<void> {
    const normalized = normalizeVector(vector);
    const key = seriesKey(symbol, timeframe);
    const current = this.latest.get(key);
    if (current !== undefined && current.openTime > normalized.openTime) return;
    this.latest.set(key, normalized);
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
