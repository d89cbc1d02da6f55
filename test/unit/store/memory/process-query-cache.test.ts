import { Timeframe } from "../../../../src/domain/timeframe";
import { seriesKey, symbolOfSeriesKey } from "../../../../src/domain/series-key";
import { ProcessQueryCache } from "../../../../src/store/memory/process-query-cache";

const BTC_1H = seriesKey("BTCUSDT", Timeframe.H1);
const BTC_1M = seriesKey("BTCUSDT", Timeframe.M1);
const ETH_1H = seriesKey("ETHUSDT", Timeframe.H1);

describe("ProcessQueryCache (no REDIS_URL)", () => {
  it("returns values in their JSON form, the same as the Redis tier would (NaN → null, typed arrays → objects)", async () => {
    const cache = new ProcessQueryCache();
    const original = { values: [1, Number.NaN, null], column: new Float64Array([2]), at: new Date(0), gone: undefined };
    await cache.set("q", original, BTC_1H);
    original.values[0] = 99; // later changes by the caller do not reach the cache
    expect(await cache.get("q")).toEqual({ values: [1, null, null], column: { "0": 2 }, at: "1970-01-01T00:00:00.000Z" });
    expect(await cache.get("other")).toBeUndefined();
  });

  it("series keys: seriesKey builds them, set rejects malformed ones", async () => {
    expect(BTC_1H).toBe("BTCUSDT/1h");
    expect(symbolOfSeriesKey("BRK.B/1d")).toBe("BRK.B");
    await expect(new ProcessQueryCache().set("q", 1, "BTCUSDT")).rejects.toThrow('Series key "BTCUSDT" is not of the form');
    await expect(new ProcessQueryCache().set("q", 1, "BTC:USDT/1h")).rejects.toThrow("is not of the form");
  });

  it("invalidateSeries drops every timeframe of exactly that symbol", async () => {
    const cache = new ProcessQueryCache();
    await cache.set("a", 1, BTC_1H);
    await cache.set("b", 2, BTC_1M);
    await cache.set("c", 3, ETH_1H);
    await cache.set("d", 4, seriesKey("BTCUSDTX", Timeframe.H1));
    expect(await cache.invalidateSeries("BTCUSDT")).toBe(2);
    expect([await cache.get("a"), await cache.get("b"), await cache.get("c"), await cache.get("d")]).toEqual([undefined, undefined, 3, 4]);
    expect(await cache.invalidateSeries("BTCUSDT")).toBe(0);
  });

  it("invalidatePattern matches <seriesKey>:<key> with a Redis-style glob", async () => {
    const cache = new ProcessQueryCache();
    await cache.set("features:1", 1, BTC_1H);
    await cache.set("bars:1", 2, BTC_1H);
    await cache.set("features:2", 3, ETH_1H);
    expect(await cache.invalidatePattern("*:features:*")).toBe(2);
    expect(await cache.get("bars:1")).toBe(2);
    expect(await cache.invalidatePattern("*")).toBe(1);
    expect(cache.stats().process.size).toBe(0);
  });

  it("counts hits, misses, capacity evictions and size; redis is null", async () => {
    const cache = new ProcessQueryCache({ maxEntries: 2 });
    await cache.set("a", 1, BTC_1H);
    await cache.set("b", 2, BTC_1H);
    await cache.set("c", 3, BTC_1H); // evicts "a", the least recently used
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBe(2);
    expect(await cache.get("c")).toBe(3);
    await cache.invalidateSeries("BTCUSDT"); // invalidation is not eviction
    const expected = { hits: 2, misses: 1, hitRate: 2 / 3, evictions: 1, size: 0 };
    expect(cache.stats()).toEqual({ process: expected, redis: null, total: expected, redisFallbacks: 0 });
  });

  it("bounds the bytes held and expires entries after ttlMs", async () => {
    const cache = new ProcessQueryCache({ maxBytes: 100, ttlMs: 40 });
    await cache.set("big", "x".repeat(200), BTC_1H); // larger than the whole tier: not cached
    expect(await cache.get("big")).toBeUndefined();
    await cache.set("small", "x", BTC_1H);
    expect(await cache.get("small")).toBe("x");
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await cache.get("small")).toBeUndefined();
    expect(cache.stats().process.evictions).toBe(0);
  });
});
