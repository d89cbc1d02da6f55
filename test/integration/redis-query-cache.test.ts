import type { Redis } from "ioredis";
import { Timeframe } from "../../src/domain/timeframe";
import { seriesKey } from "../../src/domain/series-key";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "../../src/resilience/circuit-breaker";
import { closeRedisClient, createRedisClient, waitUntilReady } from "../../src/store/redis/redis-client";
import { RedisQueryCache } from "../../src/store/redis/redis-query-cache";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";

const BTC_1H = seriesKey("BTCUSDT", Timeframe.H1);
const BTC_1M = seriesKey("BTCUSDT", Timeframe.M1);
const ETH_1H = seriesKey("ETHUSDT", Timeframe.H1);

/** A cached resolver result in its GraphQL form: undefined values are null. */
const frame = (close: number) => ({ openTimes: ["2024-01-01T00:00:00.000Z"], features: [{ name: "rsi_14", values: [null, close] }] });

describe("two-tier query cache against a dedicated redis-server", () => {
  let server: DedicatedRedis;
  const clients: Redis[] = [];
  const caches: RedisQueryCache[] = [];
  const breakers: GuardedDependency[] = [];
  let inspector: Redis;
  let namespaceCounter = 0;

  beforeAll(async () => {
    server = await startDedicatedRedis(6390);
    inspector = client();
    expect(await waitUntilReady(inspector, 5_000)).toBe(true);
  });

  afterAll(async () => {
    try {
      await Promise.all(caches.map((cache) => cache.close()));
      breakers.forEach((breaker) => breaker.shutdown());
      await Promise.all(clients.map((each) => closeRedisClient(each)));
    } finally {
      await server?.stop();
    }
  });

  function client(): Redis {
    const created = createRedisClient(server.url, { connectionName: "candela-test" });
    clients.push(created);
    return created;
  }

  /** A cache instance (as one server instance has) over its own connections, in `namespace`. */
  async function instance(namespace: string, options: { maxEntries?: number; changes?: CircuitStateChange[] } = {}) {
    const redis = client();
    const subscriber = client();
    await Promise.all([waitUntilReady(redis, 5_000), waitUntilReady(subscriber, 5_000)]);
    const breaker = createCircuitBreaker("redis-cache", { onStateChange: (change) => options.changes?.push(change) });
    breakers.push(breaker);
    const cache = new RedisQueryCache({ redis, subscriber, breaker, namespace, process: { maxEntries: options.maxEntries, ttlMs: 60_000 }, redisTtlMs: 60_000 });
    caches.push(cache);
    // Let the subscriber's SUBSCRIBE reach the server before the test publishes anything.
    await eventually(async () => Number((await inspector.pubsub("NUMSUB", `${namespace}:invalidations`))[1]) > 0, 5_000, "the subscription");
    return { cache, breaker, redis };
  }

  const freshNamespace = () => `candela:test${++namespaceCounter}:cache`;

  it("stores in both tiers: another instance reads the entry from Redis, with the same JSON form (NaN as null)", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace);
    await a.cache.set("features:BTCUSDT:H1:q1", { values: [1.5, Number.NaN, null], when: "2024-01-01T00:00:00.000Z" }, BTC_1H);

    expect(await a.cache.get("features:BTCUSDT:H1:q1")).toEqual({ values: [1.5, null, null], when: "2024-01-01T00:00:00.000Z" });
    expect(await b.cache.get("features:BTCUSDT:H1:q1")).toEqual({ values: [1.5, null, null], when: "2024-01-01T00:00:00.000Z" });
    expect(await b.cache.get("features:BTCUSDT:H1:q1")).toEqual({ values: [1.5, null, null], when: "2024-01-01T00:00:00.000Z" });
    expect(await b.cache.get("never-set")).toBeUndefined();

    expect(a.cache.stats().process).toMatchObject({ hits: 1, misses: 0, size: 1 });
    // b: a Redis hit (promoted to its process tier), then a process hit, then a miss in both tiers.
    const stats = await b.cache.refreshStats();
    expect(stats.process).toEqual({ hits: 1, misses: 2, hitRate: 1 / 3, evictions: 0, size: 1 });
    expect(stats.redis).toEqual({ hits: 1, misses: 1, hitRate: 0.5, evictions: 0, size: 1 });
    expect(stats.total).toEqual({ hits: 2, misses: 1, hitRate: 2 / 3, evictions: 0, size: 2 });
    expect(stats.redisFallbacks).toBe(0);

    const keys = (await inspector.keys(`${namespace}:*`)).sort();
    expect(keys).toEqual([`${namespace}:entries`, expect.stringMatching(new RegExp(`^${namespace}:entry:[A-Za-z0-9_-]{43}$`)), `${namespace}:symbol:BTCUSDT`]);
    const ttl = await inspector.pttl(keys[1]);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("counts capacity evictions of the process tier", async () => {
    const { cache } = await instance(freshNamespace(), { maxEntries: 2 });
    for (let index = 0; index < 5; index++) await cache.set(`q${index}`, frame(index), BTC_1H);
    expect(cache.stats().process).toMatchObject({ evictions: 3, size: 2 });
    // Evicted from the process tier, still in Redis.
    expect(await cache.get("q0")).toEqual(frame(0));
    expect(cache.stats().redis).toMatchObject({ hits: 1 });
  });

  it("invalidateSeries drops every timeframe of exactly that symbol, in Redis and in every instance's process tier", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace);
    await a.cache.set("btc-1h", frame(1), BTC_1H);
    await a.cache.set("btc-1m", frame(2), BTC_1M);
    await a.cache.set("eth-1h", frame(3), ETH_1H);
    for (const key of ["btc-1h", "btc-1m", "eth-1h"]) expect(await b.cache.get(key)).toBeDefined();
    expect(b.cache.stats().process.size).toBe(3);
    const heardByA: (string | undefined)[] = [];
    const heardByB: (string | undefined)[] = [];
    a.cache.onSeriesChanged((symbol) => heardByA.push(symbol));
    b.cache.onSeriesChanged((symbol) => heardByB.push(symbol));

    expect(await a.cache.invalidateSeries("BTCUSDT")).toBe(2);

    // b's process tier hears of it over pub/sub, and so do b's bar-change listeners.
    await eventually(() => b.cache.stats().process.size === 1, 5_000, "b's process tier to drop BTCUSDT");
    expect(heardByA).toEqual(["BTCUSDT"]);
    expect(heardByB).toEqual(["BTCUSDT"]);
    for (const cache of [a.cache, b.cache]) {
      expect(await cache.get("btc-1h")).toBeUndefined();
      expect(await cache.get("btc-1m")).toBeUndefined();
      expect(await cache.get("eth-1h")).toEqual(frame(3));
    }
    expect(await inspector.zrange(`${namespace}:symbol:BTCUSDT`, "0", "-1")).toEqual([]);
    expect(await inspector.zrange(`${namespace}:entries`, "0", "-1")).toEqual(["ETHUSDT/1h:eth-1h"]);
    expect((await inspector.keys(`${namespace}:entry:*`)).length).toBe(1);
    expect(await a.cache.invalidateSeries("BTCUSDT")).toBe(0);
  });

  it("invalidatePattern drops the entries whose <series>:<key> name matches the glob", async () => {
    const namespace = freshNamespace();
    const { cache } = await instance(namespace);
    const heard: (string | undefined)[] = [];
    cache.onSeriesChanged((symbol) => heard.push(symbol));
    await cache.set("features:a", frame(1), BTC_1H);
    await cache.set("bars:a", frame(2), BTC_1H);
    await cache.set("features:b", frame(3), ETH_1H);
    await cache.set("features:c", frame(4), BTC_1M);

    expect(await cache.invalidatePattern("*/1h:features:*")).toBe(2);
    expect(await cache.get("features:a")).toBeUndefined();
    expect(await cache.get("features:b")).toBeUndefined();
    expect(await cache.get("bars:a")).toEqual(frame(2));
    expect(await cache.get("features:c")).toEqual(frame(4));
    expect((await inspector.zrange(`${namespace}:entries`, "0", "-1")).sort()).toEqual(["BTCUSDT/1h:bars:a", "BTCUSDT/1m:features:c"]);
    expect(await cache.invalidatePattern("*")).toBe(2);
    expect(await inspector.keys(`${namespace}:entry:*`)).toEqual([]);
    // A pattern may cover any symbol: listeners hear "any" (undefined).
    expect(heard).toEqual([undefined, undefined]);
  });

  it("keeps answering from the process tier with no errors while Redis is down; the breaker opens, then closes by itself after a restart", async () => {
    const changes: CircuitStateChange[] = [];
    const { cache, breaker } = await instance(freshNamespace(), { changes });
    await cache.set("kept", frame(1), BTC_1H);
    await cache.set("evicted-later", frame(2), ETH_1H);
    expect(breaker.state).toBe("closed");

    await server.stop();

    // Misses go to Redis, fail, and fall back; nothing throws.
    for (let index = 0; index < 5; index++) expect(await cache.get(`missing-${index}`)).toBeUndefined();
    expect(breaker.state).toBe("open");
    expect(changes).toEqual([{ breaker: "redis-cache", from: "closed", to: "open" }]);
    const started = Date.now();
    expect(await cache.get("kept")).toEqual(frame(1));
    await cache.set("written-while-down", frame(3), BTC_1H);
    expect(await cache.get("written-while-down")).toEqual(frame(3));
    expect(await cache.get("missing-again")).toBeUndefined();
    expect(await cache.invalidateSeries("ETHUSDT")).toBe(1);
    expect(await cache.invalidatePattern("nothing*")).toBe(0);
    expect(Date.now() - started).toBeLessThan(100); // the open breaker fails fast: no waiting on Redis
    const down = cache.stats();
    expect(down.redisFallbacks).toBeGreaterThanOrEqual(8);
    expect(breaker.counts().rejections).toBeGreaterThan(0);

    await server.start();

    // After resetTimeout (2 s) the next call is a probe; the client reconnects within a second.
    await eventually(async () => {
      await cache.get("probe");
      return breaker.state === "closed";
    }, 15_000, "the breaker to close");
    expect(changes.map((change) => change.to)).toEqual(expect.arrayContaining(["open", "halfOpen", "closed"]));
    expect(changes[changes.length - 1]).toEqual({ breaker: "redis-cache", from: "halfOpen", to: "closed" });
    // Redis works again: a write reaches it.
    await cache.set("after-restart", frame(4), BTC_1H);
    expect((await cache.refreshStats()).redis!.size).toBe(1);
  });

  it("a hung Redis (SIGSTOP) times calls out at 200 ms; invalidations made meanwhile are applied before Redis is read again", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace, { maxEntries: 1 });
    await a.cache.set("btc", frame(1), BTC_1H);
    await a.cache.set("eth", frame(2), ETH_1H);

    server.pause();
    try {
      const started = Date.now();
      expect(await a.cache.get("unknown")).toBeUndefined();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(1_000);
      // Redis is unreachable: the invalidation is applied to the process tier and kept for Redis.
      expect(await a.cache.invalidateSeries("BTCUSDT")).toBe(1);
      await eventually(async () => (await a.cache.get("unknown")) === undefined && a.breaker.state === "open", 5_000, "the breaker to open");
    } finally {
      server.resume();
    }

    await eventually(async () => {
      await a.cache.get("probe");
      return a.breaker.state === "closed";
    }, 15_000, "the breaker to close");
    // The pending invalidation reached Redis: no instance gets the stale BTCUSDT entry from it.
    expect(await inspector.zrange(`${namespace}:entries`, "0", "-1")).toEqual(["ETHUSDT/1h:eth"]);
    expect(await b.cache.get("btc")).toBeUndefined();
    expect(await b.cache.get("eth")).toEqual(frame(2));
  });
});
