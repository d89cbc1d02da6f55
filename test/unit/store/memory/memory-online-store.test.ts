import { Timeframe } from "../../../../src/domain/timeframe";
import { MemoryOnlineFeatureStore } from "../../../../src/store/memory/memory-online-store";
import { describeOnlineStoreContract, vector } from "../../../support/online-store-contract";

describeOnlineStoreContract("MemoryOnlineFeatureStore (no REDIS_URL)", () => new MemoryOnlineFeatureStore());

describe("MemoryOnlineFeatureStore", () => {
  it("copies vectors in and out, so callers cannot alter what is stored", async () => {
    const store = new MemoryOnlineFeatureStore();
    const written = { ...vector(0, 1), values: { c: 1 } as Record<string, number | null> };
    await store.writeLatest("BTCUSDT", Timeframe.M1, written);
    written.values.c = 2;
    const read = (await store.readLatest(["BTCUSDT"], Timeframe.M1)).get("BTCUSDT")!;
    expect(read.values).toEqual({ c: 1 });
    (read.values as Record<string, number | null>).c = 3;
    expect((await store.readLatest(["BTCUSDT"], Timeframe.M1)).get("BTCUSDT")!.values.c).toBe(1);
  });
});
