import { ErrorCode, DomainError } from "../../../src/domain/errors";
import { Timeframe } from "../../../src/domain/timeframe";
import { QueryResultCache } from "../../../src/features/query-result-cache";
import { ProcessQueryCache } from "../../../src/store/memory/process-query-cache";

// QueryResultCache over the in-process query cache adapter (no Redis): what is computed, kept and served.
function setup() {
  const cache = new ProcessQueryCache({ maxEntries: 100, ttlMs: 60_000 });
  const results = new QueryResultCache(cache);
  let computations = 0;
  const query = (symbol: string, during?: () => Promise<unknown>) =>
    results.through("features", { symbol }, symbol, Timeframe.H1, async () => {
      computations++;
      await during?.();
      return { stale: false, value: computations };
    });
  return { cache, query, computations: () => computations };
}

describe("QueryResultCache", () => {
  it("computes once, then answers from the cache until the symbol's bars change", async () => {
    const { cache, query, computations } = setup();
    expect(await query("BTCUSDT")).toEqual({ stale: false, value: 1 });
    expect(await query("BTCUSDT")).toEqual({ stale: false, value: 1 });
    expect(computations()).toBe(1);
    await cache.invalidateSeries("BTCUSDT");
    expect(await query("BTCUSDT")).toEqual({ stale: false, value: 2 });
  });

  it("does not keep a result computed while the symbol's bars changed (it may have read them before)", async () => {
    const { cache, query, computations } = setup();
    expect(await query("BTCUSDT", () => cache.invalidateSeries("BTCUSDT"))).toEqual({ stale: false, value: 1 });
    expect(await query("BTCUSDT")).toEqual({ stale: false, value: 2 });
    expect(await query("BTCUSDT")).toEqual({ stale: false, value: 2 });
    expect(computations()).toBe(2);
  });

  it("keeps a result when only another symbol's bars changed meanwhile, not when a pattern may cover it", async () => {
    const { cache, query, computations } = setup();
    await query("BTCUSDT", () => cache.invalidateSeries("ETHUSDT"));
    await query("BTCUSDT");
    expect(computations()).toBe(1);
    await query("SOLUSDT", () => cache.invalidatePattern("ETHUSDT/*"));
    await query("SOLUSDT");
    expect(computations()).toBe(3);
  });

  it("shares one computation among identical queries made while it runs, and its error too", async () => {
    const { query, computations } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const answers = Array.from({ length: 10 }, () => query("BTCUSDT", () => gate));
    release();
    expect(await Promise.all(answers)).toEqual(Array(10).fill({ stale: false, value: 1 }));
    expect(computations()).toBe(1);

    const { cache } = setup();
    const results = new QueryResultCache(cache);
    let attempts = 0;
    const failing = () =>
      results.through("features", { symbol: "ETHUSDT" }, "ETHUSDT", Timeframe.H1, async () => {
        attempts++;
        throw new DomainError(ErrorCode.BAD_USER_INPUT, "no");
      });
    const failures = await Promise.allSettled([failing(), failing(), failing()]);
    expect(failures.map((failure) => failure.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(attempts).toBe(1);
    await expect(failing()).rejects.toThrow("no");
    expect(attempts).toBe(2);
  });

  it("starts afresh for a query made after the symbol's bars changed during a shared computation", async () => {
    const { cache, query, computations } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const before = query("BTCUSDT", () => gate);
    await cache.invalidateSeries("BTCUSDT");
    const after = query("BTCUSDT");
    release();
    const [first, second] = await Promise.all([before, after]);
    expect(first).not.toBe(second);
    expect(computations()).toBe(2);
  });

  it("serves the last good result marked stale when computing fails with UNAVAILABLE", async () => {
    const { cache } = setup();
    const results = new QueryResultCache(cache);
    await results.through("bars", {}, "BTCUSDT", Timeframe.H1, async () => ({ stale: false, value: 1 }));
    await cache.invalidateSeries("BTCUSDT");
    const down = () => Promise.reject(new DomainError(ErrorCode.UNAVAILABLE, "PostgreSQL is unavailable."));
    expect(await results.through("bars", {}, "BTCUSDT", Timeframe.H1, down)).toEqual({ stale: true, value: 1 });
    await expect(results.through("bars", { other: true }, "BTCUSDT", Timeframe.H1, down)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });
});
