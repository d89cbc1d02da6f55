import type { Redis } from "ioredis";
import type { Timeframe } from "../../domain/timeframe";
import type { LatestFeatureVector, OnlineFeatureStore } from "../../features/ports/online-feature-store";
import { seriesKey } from "../../domain/series-key";
import { unavailable } from "../../resilience/breaker-errors";
import type { GuardedDependency } from "../../resilience/circuit-breaker";
import { normalizeVector, vectorFromHash, vectorToHashFields } from "../latest-vector-codec";

/** What the Redis online store is built from. */
export interface RedisOnlineStoreOptions {
  /** The command connection (see createRedisClient). */
  readonly redis: Redis;
  /** The breaker every call goes through (e.g. createCircuitBreaker("redis-online")). */
  readonly breaker: GuardedDependency;
  /** Key prefix. Default "candela:online". */
  readonly namespace?: string;
}

/** Name of the dependency in UNAVAILABLE messages. */
const DEPENDENCY = "online feature store (Redis)";

/**
 * The rule of `mergeLatest` (latest-vector-codec.ts), atomic in Redis so that concurrent writers (several
 * instances) never move the latest vector back in time: ARGV[1] openTime, ARGV[2] revision, ARGV[3..] the hash
 * fields and values to write. Replaces the stored hash for a newer bar or a higher revision, adds to it for the same
 * bar and revision, and leaves it for an older one. Returns 1 when written, 0 when the stored vector is newer.
 */
const WRITE_LATEST = `
local stored = redis.call('HMGET', KEYS[1], 'openTime', 'revision')
local storedOpen = tonumber(stored[1])
local storedRevision = tonumber(stored[2]) or 0
local openTime = tonumber(ARGV[1])
local revision = tonumber(ARGV[2])
if storedOpen then
  if storedOpen > openTime or (storedOpen == openTime and storedRevision > revision) then
    return 0
  end
  if storedOpen < openTime or storedRevision < revision then
    redis.call('DEL', KEYS[1])
  end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
return 1
`;

/**
 * The online store in Redis: one string key per series, `<namespace>:<symbol>/<timeframe label>`
 * (e.g. "candela:online:BTCUSDT/1h"), a hash holding the vector (see latest-vector-codec.ts), without
 * TTL. `readLatest` reads any number of symbols in one round trip (pipelined HGETALLs). Every call goes through a circuit
 * breaker; when Redis is down or the breaker is open, calls fail fast with UNAVAILABLE (never an
 * invented or empty answer), and the breaker closes by itself once Redis answers again.
 */
export class RedisOnlineFeatureStore implements OnlineFeatureStore {
  private readonly redis: Redis;
  private readonly breaker: GuardedDependency;
  private readonly namespace: string;

  constructor(options: RedisOnlineStoreOptions) {
    this.redis = options.redis;
    this.breaker = options.breaker;
    this.namespace = options.namespace ?? "candela:online";
  }

  /** The breaker in front of Redis (its state for health checks and metrics). */
  get redisBreaker(): GuardedDependency {
    return this.breaker;
  }

  async writeLatest(symbol: string, timeframe: Timeframe, vector: LatestFeatureVector): Promise<void> {
    const normalized = normalizeVector(vector);
    const fields = vectorToHashFields(normalized);
    await this.guarded(() => this.redis.eval(WRITE_LATEST, 1, this.key(symbol, timeframe), String(normalized.openTime), String(normalized.revision), ...fields));
  }

  async readLatest(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, LatestFeatureVector>> {
    const unique = [...new Set(symbols)];
    const found = new Map<string, LatestFeatureVector>();
    if (unique.length === 0) return found;
    const keys = unique.map((symbol) => this.key(symbol, timeframe));
    const hashes = await this.guarded(async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      // A pipeline resolves with each command's error beside its reply: the first one fails the read.
      return ((await pipeline.exec()) ?? []).map(([error, fields]) => {
        if (error !== null) throw error;
        return fields as Record<string, string>;
      });
    });
    hashes.forEach((fields, index) => {
      const vector = vectorFromHash(fields, keys[index]);
      if (vector !== undefined) found.set(unique[index], vector);
    });
    return found;
  }

  /**
   * Runs a Redis call through the breaker.
   * @throws DomainError UNAVAILABLE for an open breaker, a timeout or a connection failure; a Redis
   *   reply error (e.g. WRONGTYPE: the key holds something else) passes unchanged, being a bug
   */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.run(work);
    } catch (error) {
      if (error instanceof Error && error.name === "ReplyError") throw error;
      throw unavailable(DEPENDENCY, error);
    }
  }

  private key(symbol: string, timeframe: Timeframe): string {
    return `${this.namespace}:${seriesKey(symbol, timeframe)}`;
  }
}
