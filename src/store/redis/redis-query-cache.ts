import { createHash, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import type { CacheStats, QueryCache, SeriesChangeListener } from "../../features/ports/query-cache";
import { symbolOfSeriesKey } from "../../domain/series-key";
import { compileGlob, type GlobMatcher } from "../memory/cache-glob";
import type { GuardedDependency } from "../../resilience/circuit-breaker";
import { ProcessCacheTier, tierStats, type ProcessTierOptions } from "../memory/process-cache-tier";

/** What the two-tier cache is built from. */
export interface RedisQueryCacheOptions {
  /** The command connection (see createRedisClient: no offline queue, reconnects by itself). */
  readonly redis: Redis;
  /** The breaker every Redis call goes through (e.g. createCircuitBreaker("redis-cache")). */
  readonly breaker: GuardedDependency;
  /**
   * A second connection, used only to subscribe to other instances' invalidations so their process
   * tiers drop the same entries. Optional: a single instance needs none.
   */
  readonly subscriber?: Redis;
  /** Bounds and TTL of the process tier. */
  readonly process?: ProcessTierOptions;
  /** Time a Redis entry lives, ms (SET PX). Default 600000. */
  readonly redisTtlMs?: number;
  /** Prefix of every Redis key and of the channel. Default "candela:cache". */
  readonly namespace?: string;
  /** Least time between two samples of the Redis tier's size, ms. Default 5000. */
  readonly sizeSampleIntervalMs?: number;
}

/** Clocks of several instances may disagree: index members are pruned this long after their expiry. */
const CLOCK_SKEW_ALLOWANCE_MS = 60_000;
/** Names deleted per MULTI and scanned per ZSCAN call. */
const BATCH = 500;

/** An invalidation broadcast to the other instances. */
type InvalidationMessage = { readonly origin: string } & ({ readonly symbol: string } | { readonly glob: string });

/**
 * The query cache of a server with Redis: a process LRU (bounded, TTL) in front of Redis (TTL), read
 * through and written to both. Every Redis call goes through a circuit breaker; when Redis fails or the
 * breaker is open, the cache answers from the process tier alone, never with an error.
 *
 * Redis layout under the namespace N (default "candela:cache"); an entry's name is "<seriesKey>:<key>":
 * - `N:entry:<sha256(key), base64url>` → `{"k": key, "s": seriesKey, "v": value}` with PX = redisTtlMs.
 *   `get(key)` knows no series, so the series cannot be part of the entry key; the envelope carries it.
 * - `N:symbol:<symbol>`: sorted set of the names of that symbol's entries, scored by expiry (epoch ms):
 *   invalidateSeries deletes exactly these. Expired members are pruned on writes.
 * - `N:entries`: sorted set of every name, scored by expiry: the Redis tier's size (ZCOUNT) and the
 *   domain of invalidatePattern (ZSCAN MATCH).
 * - channel `N:invalidations`: each invalidation is published so other instances drop their process entries.
 *
 * When an invalidation cannot reach Redis, it is kept and replayed before Redis is read again; until
 * then Redis entries of that symbol (or pattern) are treated as misses, so stale entries are never served.
 */
export class RedisQueryCache implements QueryCache {
  private readonly process: ProcessCacheTier;
  private readonly redis: Redis;
  private readonly breaker: GuardedDependency;
  private readonly subscriber: Redis | undefined;
  private readonly ttlMs: number;
  private readonly namespace: string;
  private readonly sampleIntervalMs: number;
  private readonly instanceId = randomUUID();
  private readonly pendingSymbols = new Set<string>();
  private readonly pendingGlobs = new Map<string, GlobMatcher>();
  private readonly seriesChanges = new EventEmitter();
  private readonly onMessage = (channel: string, message: string) => this.applyRemoteInvalidation(channel, message);
  private readonly onSubscriberReady = () => void this.subscriber?.subscribe(this.channel).catch(() => undefined);
  private redisHits = 0;
  private redisMisses = 0;
  private totalHits = 0;
  private totalMisses = 0;
  private fallbacks = 0;
  private redisSize = 0;
  private sizeSampledAt = -Infinity;
  private sampling: Promise<void> | undefined;

  constructor(options: RedisQueryCacheOptions) {
    this.process = new ProcessCacheTier(options.process);
    this.redis = options.redis;
    this.breaker = options.breaker;
    this.subscriber = options.subscriber;
    this.ttlMs = options.redisTtlMs ?? 600_000;
    this.namespace = options.namespace ?? "candela:cache";
    this.sampleIntervalMs = options.sizeSampleIntervalMs ?? 5_000;
    if (this.subscriber !== undefined) {
      this.subscriber.on("message", this.onMessage);
      this.subscriber.on("ready", this.onSubscriberReady);
      if (this.subscriber.status === "ready") this.onSubscriberReady();
    }
  }

  /** The breaker in front of Redis (its state for health checks and metrics). */
  get redisBreaker(): GuardedDependency {
    return this.breaker;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const local = this.process.get(key);
    if (local !== undefined) {
      this.totalHits++;
      return local.value as T;
    }
    let text: string | null;
    try {
      await this.replayPendingInvalidations();
      text = await this.breaker.run(() => this.redis.get(this.entryKey(key)));
    } catch {
      this.fallbacks++;
      this.totalMisses++;
      return undefined;
    }
    const envelope = text === null ? undefined : decodeEnvelope(text, key);
    if (envelope === undefined || this.isPendingInvalidation(envelope.s, key)) {
      this.redisMisses++;
      this.totalMisses++;
      return undefined;
    }
    this.redisHits++;
    this.totalHits++;
    this.process.set(key, envelope.s, envelope.v, text!.length);
    return envelope.v as T;
  }

  async set(key: string, value: unknown, seriesKey: string): Promise<void> {
    const symbol = symbolOfSeriesKey(seriesKey);
    const json = JSON.stringify(value);
    if (json === undefined || json.length > this.process.maxEntryBytes) return;
    this.process.set(key, seriesKey, JSON.parse(json), json.length);
    const name = `${seriesKey}:${key}`;
    const envelope = `{"k":${JSON.stringify(key)},"s":${JSON.stringify(seriesKey)},"v":${json}}`;
    try {
      await this.breaker.run(async () => {
        const now = Date.now();
        const expiresAt = now + this.ttlMs;
        const pruneBefore = now - CLOCK_SKEW_ALLOWANCE_MS;
        const symbolIndex = this.symbolIndexKey(symbol);
        const allIndex = this.allIndexKey();
        const replies = await this.redis
          .multi()
          .set(this.entryKey(key), envelope, "PX", this.ttlMs)
          .zadd(symbolIndex, expiresAt, name)
          .zremrangebyscore(symbolIndex, "-inf", pruneBefore)
          .pexpire(symbolIndex, this.ttlMs + CLOCK_SKEW_ALLOWANCE_MS)
          .zadd(allIndex, expiresAt, name)
          .zremrangebyscore(allIndex, "-inf", pruneBefore)
          .pexpire(allIndex, this.ttlMs + CLOCK_SKEW_ALLOWANCE_MS)
          .exec();
        throwFirstError(replies);
      });
    } catch {
      this.fallbacks++;
    }
  }

  async invalidateSeries(symbol: string): Promise<number> {
    this.seriesChanges.emit("changed", symbol);
    const dropped = new Set(this.process.deleteSymbol(symbol));
    this.pendingSymbols.add(symbol);
    try {
      await this.replayPendingInvalidations(dropped);
    } catch {
      this.fallbacks++;
    }
    return dropped.size;
  }

  async forgetSeries(symbol: string): Promise<number> {
    this.seriesChanges.emit("changed", symbol);
    return this.process.deleteSymbol(symbol).length;
  }

  async invalidatePattern(glob: string): Promise<number> {
    const matcher = compileGlob(glob);
    this.seriesChanges.emit("changed", undefined);
    const dropped = new Set(this.process.deleteMatching(matcher));
    this.pendingGlobs.set(glob, matcher);
    try {
      await this.replayPendingInvalidations(dropped);
    } catch {
      this.fallbacks++;
    }
    return dropped.size;
  }

  /**
   * Counters per tier and in total. The Redis tier's size is the last sample (ZCOUNT of unexpired
   * names), refreshed in the background when older than `sizeSampleIntervalMs`; its evictions are
   * always 0 (Redis evicts for the whole server, not per namespace: see INFO's evicted_keys).
   */
  onSeriesChanged(listener: SeriesChangeListener): void {
    this.seriesChanges.on("changed", listener);
  }

  stats(): CacheStats {
    if (Date.now() - this.sizeSampledAt >= this.sampleIntervalMs) void this.refreshStats();
    return this.currentStats();
  }

  /** Samples the Redis tier's size now (keeps the last sample when Redis is unreachable), then reports. */
  async refreshStats(): Promise<CacheStats> {
    this.sampling ??= this.breaker
      .run(() => this.redis.zcount(this.allIndexKey(), Date.now(), "+inf"))
      .then(
        (size) => {
          this.redisSize = size;
          this.sizeSampledAt = Date.now();
        },
        () => {
          this.sizeSampledAt = Date.now();
        },
      )
      .finally(() => {
        this.sampling = undefined;
      });
    await this.sampling;
    return this.currentStats();
  }

  /** Stops listening to other instances' invalidations (the Redis connections belong to the caller). */
  async close(): Promise<void> {
    if (this.subscriber === undefined) return;
    this.subscriber.off("message", this.onMessage);
    this.subscriber.off("ready", this.onSubscriberReady);
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  private currentStats(): CacheStats {
    const process = this.process.stats();
    const redis = tierStats(this.redisHits, this.redisMisses, 0, this.redisSize);
    const total = tierStats(this.totalHits, this.totalMisses, process.evictions, process.size + redis.size);
    return { process, redis, total, redisFallbacks: this.fallbacks };
  }

  /**
   * Applies the invalidations not yet applied in Redis (this call's and any that failed before), in
   * order, each published to the other instances. Adds the keys of the entries deleted to `dropped`.
   * @throws when Redis cannot be reached; what was not applied stays pending
   */
  private async replayPendingInvalidations(dropped: Set<string> = new Set()): Promise<void> {
    for (const symbol of [...this.pendingSymbols]) {
      const names = await this.breaker.run(() => this.redis.zrange(this.symbolIndexKey(symbol), "0", "-1"));
      await this.deleteNames(names, { origin: this.instanceId, symbol }, dropped);
      this.pendingSymbols.delete(symbol);
    }
    for (const [glob] of [...this.pendingGlobs]) {
      const names = new Set<string>();
      let cursor = "0";
      do {
        const [next, members] = await this.breaker.run(() => this.redis.zscan(this.allIndexKey(), cursor, "MATCH", glob, "COUNT", String(BATCH)));
        for (let index = 0; index < members.length; index += 2) names.add(members[index]);
        cursor = next;
      } while (cursor !== "0");
      await this.deleteNames([...names], { origin: this.instanceId, glob }, dropped);
      this.pendingGlobs.delete(glob);
    }
  }

  /** Deletes the entries named `names` and their index members, then publishes `message`. */
  private async deleteNames(names: readonly string[], message: InvalidationMessage, dropped: Set<string>): Promise<void> {
    for (let start = 0; start < names.length; start += BATCH) {
      const batch = names.slice(start, start + BATCH);
      const replies = await this.breaker.run(() => {
        const transaction = this.redis.multi();
        for (const name of batch) transaction.del(this.entryKey(keyOfName(name)));
        for (const name of batch) transaction.zrem(this.symbolIndexKey(symbolOfSeriesKey(seriesOfName(name))), name);
        transaction.zrem(this.allIndexKey(), ...batch);
        return transaction.exec();
      });
      throwFirstError(replies);
      batch.forEach((name, index) => {
        if (replies![index][1] === 1) dropped.add(keyOfName(name));
      });
    }
    await this.breaker.run(() => this.redis.publish(this.channel, JSON.stringify(message)));
  }

  /** True when an entry of `seriesKey` under `key` is covered by an invalidation not yet applied in Redis. */
  private isPendingInvalidation(seriesKey: string, key: string): boolean {
    if (this.pendingSymbols.has(symbolOfSeriesKey(seriesKey))) return true;
    for (const matches of this.pendingGlobs.values()) if (matches(`${seriesKey}:${key}`)) return true;
    return false;
  }

  private applyRemoteInvalidation(channel: string, text: string): void {
    if (channel !== this.channel) return;
    let message: InvalidationMessage;
    try {
      message = JSON.parse(text) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.origin === this.instanceId) return;
    if ("symbol" in message) {
      this.seriesChanges.emit("changed", message.symbol);
      this.process.deleteSymbol(message.symbol);
    } else if ("glob" in message) {
      let matcher: GlobMatcher;
      // An instance of an older version may publish a glob this one rejects: ignore it rather than crash.
      try {
        matcher = compileGlob(message.glob);
      } catch {
        return;
      }
      this.seriesChanges.emit("changed", undefined);
      this.process.deleteMatching(matcher);
    }
  }

  private get channel(): string {
    return `${this.namespace}:invalidations`;
  }

  private entryKey(key: string): string {
    return `${this.namespace}:entry:${createHash("sha256").update(key).digest("base64url")}`;
  }

  private symbolIndexKey(symbol: string): string {
    return `${this.namespace}:symbol:${symbol}`;
  }

  private allIndexKey(): string {
    return `${this.namespace}:entries`;
  }
}

/** The stored envelope of an entry. */
interface Envelope {
  readonly k: string;
  readonly s: string;
  readonly v: unknown;
}

/** The envelope in `text` when it is well-formed and stores `key` (a hash collision or garbage is a miss). */
function decodeEnvelope(text: string, key: string): Envelope | undefined {
  try {
    const envelope = JSON.parse(text) as Envelope;
    return envelope !== null && typeof envelope === "object" && envelope.k === key && typeof envelope.s === "string" ? envelope : undefined;
  } catch {
    return undefined;
  }
}

/** "<seriesKey>:<key>" → seriesKey (series keys hold no ':'). */
function seriesOfName(name: string): string {
  return name.slice(0, name.indexOf(":"));
}

/** "<seriesKey>:<key>" → key. */
function keyOfName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** MULTI replies are [error, result] pairs; a null reply means the transaction was aborted. */
function throwFirstError(replies: [Error | null, unknown][] | null): void {
  if (replies === null) throw new Error("Redis aborted the transaction.");
  for (const [error] of replies) if (error !== null) throw error;
}
