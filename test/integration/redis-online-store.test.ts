import type { Redis } from "ioredis";
import { DomainError, ErrorCode } from "../../src/domain/errors";
import { Timeframe } from "../../src/domain/timeframe";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "../../src/resilience/circuit-breaker";
import { closeRedisClient, createRedisClient, waitUntilReady } from "../../src/store/redis/redis-client";
import { RedisOnlineFeatureStore } from "../../src/store/redis/redis-online-store";
import { describeOnlineStoreContract, vector } from "../support/online-store-contract";
import { eventually, startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";

const HOUR = 3_600_000;

describe("Redis online store against a dedicated redis-server", () => {
  let server: DedicatedRedis;
  let redis: Redis;
  let inspector: Redis;
  let breaker: GuardedDependency;
  let store: RedisOnlineFeatureStore;
  const changes: CircuitStateChange[] = [];

  beforeAll(async () => {
    server = await startDedicatedRedis(6395);
    redis = createRedisClient(server.url, { connectionName: "candela-online-test" });
    inspector = createRedisClient(server.url, { connectionName: "candela-test-inspector" });
    expect(await waitUntilReady(redis, 5_000)).toBe(true);
    expect(await waitUntilReady(inspector, 5_000)).toBe(true);
    breaker = createCircuitBreaker("redis-online", { onStateChange: (change) => changes.push(change) });
    store = new RedisOnlineFeatureStore({ redis, breaker });
  });

  afterAll(async () => {
    try {
      breaker?.shutdown();
      await Promise.all([redis, inspector].filter(Boolean).map((client) => closeRedisClient(client)));
    } finally {
      await server?.stop();
    }
  });

  /** Calls per Redis command since `CONFIG RESETSTAT`, from INFO commandstats. */
  async function commandCalls(): Promise<Record<string, number>> {
    const info = await inspector.info("commandstats");
    return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((match) => [match[1], Number(match[2])]));
  }

  describeOnlineStoreContract("RedisOnlineFeatureStore", () => store);

  it("reads the latest vectors of 500 symbols in one round trip; symbols without one are absent", async () => {
    const symbols = Array.from({ length: 500 }, (_, index) => `SYM${index}`);
    for (const [index, symbol] of symbols.entries()) if (index % 5 !== 0) await store.writeLatest(symbol, Timeframe.H1, vector(HOUR * index, index));
    await store.writeLatest("SYM0", Timeframe.M1, vector(0, 1)); // another timeframe: not read for H1

    await inspector.config("RESETSTAT");
    const latest = await store.readLatest([...symbols, "SYM1"], Timeframe.H1);
    const calls = await commandCalls();
    expect(calls.hgetall).toBe(500); // one per distinct symbol, pipelined: one round trip
    expect(calls.get ?? 0).toBe(0);

    expect(latest.size).toBe(400);
    expect(latest.has("SYM0")).toBe(false);
    expect(latest.get("SYM7")).toEqual(vector(HOUR * 7, 7));
    expect(await inspector.hgetall("candela:online:SYM7/1h")).toEqual({ openTime: String(HOUR * 7), revision: "0", computedAt: String(HOUR * 8), "f:rsi_14": "7", "f:atr_14": "12.5" });
    expect(await store.readLatest([], Timeframe.H1)).toEqual(new Map());
  });

  it("fails fast with UNAVAILABLE while Redis is down (never an empty answer) and recovers by itself after a restart", async () => {
    await store.writeLatest("ETHUSDT", Timeframe.H1, vector(HOUR, 45));
    await server.stop();

    const failure = await store.readLatest(["ETHUSDT"], Timeframe.H1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
    expect((failure as DomainError).message).toMatch(/^The online feature store \(Redis\) is unreachable \(.+\)\. Retry shortly\.$/);
    await expect(store.writeLatest("ETHUSDT", Timeframe.H1, vector(2 * HOUR, 46))).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    // Every call fails at once (no offline queue); the breaker opens once failures outweigh the
    // successes of its rolling window (the 500-symbol test above left hundreds).
    await eventually(async () => {
      for (let call = 0; call < 50; call++) {
        await expect(store.readLatest(["ETHUSDT"], Timeframe.H1)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
      }
      return breaker.state === "open";
    }, 5_000, "the breaker to open");
    const started = Date.now();
    await expect(store.readLatest(["ETHUSDT"], Timeframe.H1)).rejects.toMatchObject({
      code: ErrorCode.UNAVAILABLE,
      message: "The online feature store (Redis) is unreachable (breaker open after repeated failures). Retry shortly.",
    });
    expect(Date.now() - started).toBeLessThan(100); // no waiting on Redis

    await server.start();
    await eventually(async () => {
      await store.writeLatest("ETHUSDT", Timeframe.H1, vector(3 * HOUR, 47)).catch(() => undefined);
      return breaker.state === "closed";
    }, 15_000, "the breaker to close");
    // The restarted server is empty (no persistence): what is read is what was written since.
    expect(await store.readLatest(["ETHUSDT", "BTCUSDT"], Timeframe.H1)).toEqual(new Map([["ETHUSDT", vector(3 * HOUR, 47)]]));
    expect(changes.map((change) => change.to)).toEqual(["open", "halfOpen", "closed"]);
  });
});
