import type { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import { Scope, type ApiKey } from "../../src/access/api-key";
import type { Authentication } from "../../src/access/authorization";
import { RequestRateLimits } from "../../src/server/rate-limits";
import { closeRedisClient, createRedisClient, waitUntilReady } from "../../src/store/redis/redis-client";
import { startDedicatedRedis, type DedicatedRedis } from "../support/redis-server";

/** A verified key as authentication gives it; only its id matters to the budgets. */
function keyed(id: number): Authentication {
  const key: ApiKey = { id, name: `rate-${id}`, prefix: "0123456789ab", scopes: [Scope.READ], createdAt: 0, revokedAt: null, lastUsedAt: null };
  return { kind: "key", key };
}

/**
 * How many of `attempts` concurrent spends pass, and one refusal. Concurrent, so all of them fall in one window
 * even when each waits for a frozen Redis first.
 */
async function spendAll(limits: RequestRateLimits, attempts: number, authentication: Authentication): Promise<{ passed: number; refusal?: GraphQLError }> {
  const outcomes = await Promise.allSettled(Array.from({ length: attempts }, () => limits.spend("198.51.100.7", authentication)));
  const refused = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  return { passed: outcomes.filter((outcome) => outcome.status === "fulfilled").length, refusal: refused?.reason as GraphQLError | undefined };
}

/** Waits out the one-second window, so the next spends start with full budgets. */
const nextWindow = () => new Promise((resolve) => setTimeout(resolve, 1_100));

/**
 * The per-key and per-address budgets against a dedicated redis-server: shared by two servers through Redis, and
 * kept in each process while Redis is down or frozen (requests neither fail nor wait for Redis).
 */
describe("request rate limits backed by Redis", () => {
  let server: DedicatedRedis;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startDedicatedRedis(6420);
  });

  afterAll(async () => {
    try {
      await Promise.all(clients.map((each) => closeRedisClient(each)));
    } finally {
      await server?.stop();
    }
  });

  /** A server's rate limits on a Redis connection of its own, as application.ts builds them. */
  async function serverLimits(perKeyPerSecond: number): Promise<RequestRateLimits> {
    const redis = createRedisClient(server.url, { maxReconnectDelayMs: 100 });
    clients.push(redis);
    expect(await waitUntilReady(redis, 5_000)).toBe(true);
    return new RequestRateLimits({ perKeyPerSecond, perAddressPerSecond: 2 }, redis);
  }

  it("shares a key's budget between two servers and answers RATE_LIMITED with the wait", async () => {
    const [first, second] = [await serverLimits(4), await serverLimits(4)];
    await nextWindow();
    expect((await spendAll(first, 3, keyed(1))).passed).toBe(3);
    const { passed, refusal } = await spendAll(second, 3, keyed(1));
    expect(passed).toBe(1);
    expect(refusal?.extensions).toMatchObject({ code: "RATE_LIMITED", http: { status: 429 } });
    expect(refusal?.message).toMatch(/at most 4 per second\. Retry after 1 s\./);
    // Another key and anonymous addresses have budgets of their own.
    expect((await spendAll(second, 4, keyed(2))).passed).toBe(4);
    expect((await spendAll(second, 3, { kind: "anonymous" })).passed).toBe(2);
    await expect(second.checkAddress("198.51.100.7")).rejects.toMatchObject({ extensions: { code: "RATE_LIMITED" } });
  });

  it("keeps limiting in each process while Redis is down, and shares again once it is back", async () => {
    const limits = await serverLimits(3);
    await server.stop();
    await nextWindow();
    expect((await spendAll(limits, 5, keyed(3))).passed).toBe(3);
    await server.start();
    const other = await serverLimits(3);
    await nextWindow();
    expect((await spendAll(limits, 2, keyed(4))).passed).toBe(2);
    expect((await spendAll(other, 2, keyed(4))).passed).toBe(1);
  });

  it("does not wait for a frozen Redis: the in-process budget answers", async () => {
    const limits = await serverLimits(3);
    await nextWindow();
    server.pause();
    try {
      const { passed, refusal } = await spendAll(limits, 5, keyed(5));
      expect(passed).toBe(3);
      expect(refusal?.extensions).toMatchObject({ code: "RATE_LIMITED" });
      await expect(limits.checkAddress("203.0.113.9")).resolves.toBeUndefined();
    } finally {
      server.resume();
    }
  });
});
