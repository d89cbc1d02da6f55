import { Timeframe } from "../../src/domain/timeframe";
import type { LatestFeatureVector, OnlineFeatureStore } from "../../src/features/ports/online-feature-store";

/** A vector of the bar opening at `openTime`, at `revision`, with an RSI value and a fixed ATR. */
export function vector(openTime: number, rsi: number | null, revision = 0): LatestFeatureVector {
  return { openTime, computedAt: openTime + 3_600_000, revision, values: { rsi_14: rsi, atr_14: 12.5 } };
}

/**
 * The rules every OnlineFeatureStore adapter keeps (ports/online-feature-store.ts), run against a fresh store from
 * `create` (its symbols must be unused by anything else).
 */
export function describeOnlineStoreContract(name: string, create: () => Promise<OnlineFeatureStore> | OnlineFeatureStore): void {
  describe(`${name}: the online store contract`, () => {
    const latestOf = async (store: OnlineFeatureStore, symbol: string) => (await store.readLatest([symbol], Timeframe.H1)).get(symbol);

    it("reads the latest vector of many symbols; symbols without one are absent; timeframes apart", async () => {
      const store = await create();
      await store.writeLatest("C1", Timeframe.H1, vector(1_000, 55));
      await store.writeLatest("C2", Timeframe.H1, vector(1_000, 45));
      await store.writeLatest("C1", Timeframe.M1, vector(2_000, 60));
      const latest = await store.readLatest(["C1", "C2", "C3"], Timeframe.H1);
      expect([...latest.keys()].sort()).toEqual(["C1", "C2"]);
      expect(latest.get("C1")).toEqual(vector(1_000, 55));
      expect(await store.readLatest([], Timeframe.H1)).toEqual(new Map());
    });

    it("never goes back in time: an older bar, or the same bar at a lower revision, is ignored", async () => {
      const store = await create();
      await store.writeLatest("C4", Timeframe.H1, vector(2_000, 50, 3));
      await store.writeLatest("C4", Timeframe.H1, vector(1_000, 40, 9));
      await store.writeLatest("C4", Timeframe.H1, vector(2_000, 41, 2));
      expect(await latestOf(store, "C4")).toEqual(vector(2_000, 50, 3));
    });

    it("a newer bar or a higher revision replaces; the same bar and revision merges the values", async () => {
      const store = await create();
      await store.writeLatest("C5", Timeframe.H1, vector(2_000, 50));
      await store.writeLatest("C5", Timeframe.H1, { openTime: 2_000, computedAt: 9, revision: 0, values: { ema_20: 7 } });
      expect((await latestOf(store, "C5"))!.values).toEqual({ rsi_14: 50, atr_14: 12.5, ema_20: 7 });
      await store.writeLatest("C5", Timeframe.H1, { openTime: 2_000, computedAt: 9, revision: 1, values: { rsi_14: 49 } });
      expect(await latestOf(store, "C5")).toEqual({ openTime: 2_000, computedAt: 9, revision: 1, values: { rsi_14: 49 } });
      await store.writeLatest("C5", Timeframe.H1, vector(3_000, 52));
      expect(await latestOf(store, "C5")).toEqual(vector(3_000, 52));
    });

    it("stores NaN and infinities as null, and every other double bit for bit", async () => {
      const store = await create();
      const values = { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 0.1 + 0.2, d: -0, e: 5e-324, f: 1.7976931348623157e308, g: -123.456789012345678 };
      await store.writeLatest("C6", Timeframe.H1, { openTime: 0, computedAt: 60_000, revision: 0, values });
      const read = (await latestOf(store, "C6"))!.values;
      expect(read.a).toBeNull();
      expect(read.b).toBeNull();
      for (const name of ["c", "d", "e", "f", "g"] as const) expect(Object.is(read[name], values[name])).toBe(true);
    });

    it("rejects a vector without finite times or an integer revision (a programming error)", async () => {
      const store = await create();
      await expect(store.writeLatest("C7", Timeframe.M1, { openTime: Number.NaN, computedAt: 0, revision: 0, values: {} })).rejects.toThrow("finite openTime and computedAt");
      await expect(store.writeLatest("C7", Timeframe.M1, { openTime: 0, computedAt: 0, revision: 0.5, values: {} })).rejects.toThrow("integer revision");
    });
  });
}
