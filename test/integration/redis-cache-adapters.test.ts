import { ErrorCode } from "../../src/domain/errors";
import { Timeframe } from "../../src/domain/timeframe";
import { seriesKey } from "../../src/domain/series-key";
import { createCacheAdapters, type CacheAdapters } from "../../src/store/cache-adapters";
import type { RedisConnectionEvent } from "../../src/store/redis/redis-client";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";

const BTC_1H = seriesKey("BTCUSDT", Timeframe.H1);
const vector = { openTime: 0, computedAt: 3_600_000, revision: 0, values: { rsi_14: 50 } };

describe("createCacheAdapters", () => {
  let server: DedicatedRedis;
  let adapters: CacheAdapters | undefined;

  beforeAll(async () => {
    server = await startDedicatedRedis(6400);
  });

  afterAll(async () => {
    try {
      await adapters?.close();
    } finally {
      await server?.stop();
    }
  });

  it("without a Redis URL: the in-process cache and online store, no breakers", async () => {
    const local = await createCacheAdapters();
    expect(local.mode).toBe("process");
    expect(local.breakers).toEqual([]);
    await local.queryCache.set("q", { a: 1 }, BTC_1H);
    expect(await local.queryCache.get("q")).toEqual({ a: 1 });
    expect((await local.queryCache.refreshStats()).redis).toBeNull();
    await local.onlineStore.writeLatest("BTCUSDT", Timeframe.H1, vector);
    expect((await local.onlineStore.readLatest(["BTCUSDT"], Timeframe.H1)).get("BTCUSDT")).toEqual(vector);
    await local.close();
  });

  it("starts while Redis is down (degraded: the cache answers from the process tier, the online store is UNAVAILABLE) and recovers when it comes up", async () => {
    await server.stop();
    const events: string[] = [];
    const started = Date.now();
    adapters = await createCacheAdapters({
      redisUrl: server.url,
      connectWaitMs: 300,
      onRedisEvent: (connection: string, event: RedisConnectionEvent) => events.push(`${connection}:${event.kind}`),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(adapters.mode).toBe("redis");
    expect(adapters.breakers.map((breaker) => breaker.name)).toEqual(["redis-cache", "redis-online"]);
    expect(events).toContain("candela:error");

    await adapters.queryCache.set("q", { a: 1 }, BTC_1H);
    expect(await adapters.queryCache.get("q")).toEqual({ a: 1 });
    expect(await adapters.queryCache.get("absent")).toBeUndefined();
    await expect(adapters.onlineStore.readLatest(["BTCUSDT"], Timeframe.H1)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });

    await server.start();
    const onlineStore = adapters.onlineStore;
    await eventually(async () => {
      try {
        await onlineStore.writeLatest("BTCUSDT", Timeframe.H1, vector);
        return true;
      } catch {
        return false;
      }
    }, 15_000, "the online store to answer");
    expect((await adapters.onlineStore.readLatest(["BTCUSDT"], Timeframe.H1)).get("BTCUSDT")).toEqual(vector);
    expect(events).toContain("candela:ready");
    await adapters.queryCache.set("r", { b: 2 }, BTC_1H);
    expect((await adapters.queryCache.refreshStats()).redis!.size).toBe(1);
  });
});
