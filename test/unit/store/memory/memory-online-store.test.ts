import { Timeframe } from "../../../../src/domain/timeframe";
import { MemoryOnlineFeatureStore } from "../../../../src/store/memory/memory-online-store";

const vector = (openTime: number, rsi: number | null) => ({ openTime, computedAt: openTime + 3_600_000, values: { rsi_14: rsi, atr_14: 12.5 } });

describe("MemoryOnlineFeatureStore (no REDIS_URL)", () => {
  it("reads the latest vector of many symbols; symbols without one are absent", async () => {
    const store = new MemoryOnlineFeatureStore();
    await store.writeLatest("BTCUSDT", Timeframe.H1, vector(1_000, 55));
    await store.writeLatest("ETHUSDT", Timeframe.H1, vector(1_000, 45));
    await store.writeLatest("BTCUSDT", Timeframe.M1, vector(2_000, 60));
    const latest = await store.readLatest(["BTCUSDT", "ETHUSDT", "SOLUSDT"], Timeframe.H1);
    expect([...latest.keys()]).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(latest.get("BTCUSDT")).toEqual(vector(1_000, 55));
    expect(await store.readLatest([], Timeframe.H1)).toEqual(new Map());
  });

  it("never goes back in time; the same bar replaces (a corrected bar)", async () => {
    const store = new MemoryOnlineFeatureStore();
    await store.writeLatest("BTCUSDT", Timeframe.H1, vector(2_000, 50));
    await store.writeLatest("BTCUSDT", Timeframe.H1, vector(1_000, 40));
    expect((await store.readLatest(["BTCUSDT"], Timeframe.H1)).get("BTCUSDT")).toEqual(vector(2_000, 50));
    await store.writeLatest("BTCUSDT", Timeframe.H1, vector(2_000, 51));
    expect((await store.readLatest(["BTCUSDT"], Timeframe.H1)).get("BTCUSDT")).toEqual(vector(2_000, 51));
  });

  it("stores NaN and infinities as null and copies vectors in and out", async () => {
    const store = new MemoryOnlineFeatureStore();
    const written = { openTime: 0, computedAt: 60_000, values: { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 1 } as Record<string, number | null> };
    await store.writeLatest("BTCUSDT", Timeframe.M1, written);
    written.values.c = 2;
    const read = (await store.readLatest(["BTCUSDT"], Timeframe.M1)).get("BTCUSDT")!;
    expect(read.values).toEqual({ a: null, b: null, c: 1 });
    (read.values as Record<string, number | null>).c = 3;
    expect((await store.readLatest(["BTCUSDT"], Timeframe.M1)).get("BTCUSDT")!.values.c).toBe(1);
  });

  it("rejects a vector without finite times", async () => {
    const store = new MemoryOnlineFeatureStore();
    await expect(store.writeLatest("BTCUSDT", Timeframe.M1, { openTime: Number.NaN, computedAt: 0, values: {} })).rejects.toThrow("finite openTime and computedAt");
  });
});
