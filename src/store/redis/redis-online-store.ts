import type { Redis } from "ioredis";
import type { Timeframe } from "../../domain/timeframe";
import type { LatestFeatureVector, OnlineFeatureStore } from "../../features/ports/online-feature-store";
import { seriesKey } from "../../domain/series-key";
import { unavailable } from "../../resilience/breaker-errors";
import type { GuardedDependency } from "../../resilience/circuit-breaker";
import { decodeVector, encodeVector } from "../latest-vector-codec";

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
 * Sets KEYS[1] to ARGV[1] unless the stored vector belongs to a later bar (openTime > ARGV[2]):
 * atomic, so concurrent writers (several instances) never move the latest vector back in time.
 * Returns 1 when written, 0 when the stored vector is newer.
 */
const WRITE_UNLESS_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and tonumber(stored.openTime) and tonumber(stored.openTime) > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/**
 * The online store in Redis: one string key per series, `<namespace>:<symbol>/<timeframe label>`
 * (e.g. "candela:online:BTCUSDT/1h"), holding the vector's JSON (see latest-vector-codec.ts), without
 * TTL. `readLatest` reads any number of symbols with one MGET. Every call goes through a circuit
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
    const text = encodeVector(vector);
    await this.guarded(() => this.redis.eval(WRITE_UNLESS_NEWER, 1, this.key(symbol, timeframe), text, String(vector.openTime)));
  }

  async readLatest(symbols: readonly string[], timeframe: Timeframe): Promise<Map<string, LatestFeatureVector>> {
    const unique = [...new Set(symbols)];
    const found = new Map<string, LatestFeatureVector>();
    if (unique.length === 0) return found;
    const keys = unique.map((symbol) => this.key(symbol, timeframe));
    const texts = await this.guarded(() => this.redis.mget(keys));
    texts.forEach((text, index) => {
      if (text !== null) found.set(unique[index], decodeVector(text, keys[index]));
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
