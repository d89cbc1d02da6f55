import { ApiKeyLookup, KeyLookupSource } from "../../../src/access/api-key-cache";
import { Scope } from "../../../src/access/api-key";
import type { ApiKeyStore, StoredApiKey } from "../../../src/access/api-key-store";
import { DomainError, ErrorCode } from "../../../src/domain/errors";

const KEY: StoredApiKey = { id: 1, name: "bot", prefix: "cdl_000000000001", scopes: [Scope.READ], createdAt: 0, revokedAt: null, lastUsedAt: null, secretHash: "h" };

/** A store whose findByPrefix answers from `rows` (or fails / waits when told), counting its queries. */
function fakeStore() {
  const state = { queries: 0, rows: new Map([[KEY.prefix, KEY]]), failing: false, delayMs: 0 };
  const store: Pick<ApiKeyStore, "findByPrefix"> = {
    async findByPrefix(prefix) {
      state.queries++;
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      if (state.failing) throw new DomainError(ErrorCode.UNAVAILABLE, "The database is unreachable.");
      return state.rows.get(prefix) ?? null;
    },
  };
  return { state, store: store as ApiKeyStore };
}

/** A revocation feed the test drives. */
function fakeFeed() {
  let listener: (prefix: string | undefined) => void = () => undefined;
  return {
    feed: { onKeyRevoked: (given: (prefix: string | undefined) => void) => ((listener = given), () => undefined) },
    announce: (prefix: string | undefined) => listener(prefix),
  };
}

describe("ApiKeyLookup", () => {
  let now = 1_000_000;
  const clock = () => now;

  it("remembers a found key for its lifetime, then asks the store again", async () => {
    const { state, store } = fakeStore();
    const lookup = new ApiKeyLookup(store, 30_000, undefined, clock);
    expect(await lookup.find(KEY.prefix)).toEqual(KEY);
    expect(await lookup.find(KEY.prefix)).toEqual(KEY);
    expect(state.queries).toBe(1);
    now += 30_001;
    await lookup.find(KEY.prefix);
    expect(state.queries).toBe(2);
    expect(lookup.lookups()).toEqual({ [KeyLookupSource.CACHE]: 1, [KeyLookupSource.STORE]: 2, [KeyLookupSource.STALE]: 0 });
  });

  it("remembers an unknown prefix for at most 5 s, so a flood of one made-up key costs one query per 5 s", async () => {
    const { state, store } = fakeStore();
    const lookup = new ApiKeyLookup(store, 30_000, undefined, clock);
    for (let index = 0; index < 100; index++) expect(await lookup.find("cdl_ffffffffffff")).toBeNull();
    expect(state.queries).toBe(1);
    now += 5_001;
    await lookup.find("cdl_ffffffffffff");
    expect(state.queries).toBe(2);
  });

  it("asks the store once for concurrent lookups of one prefix", async () => {
    const { state, store } = fakeStore();
    state.delayMs = 20;
    const lookup = new ApiKeyLookup(store, 30_000, undefined, clock);
    const found = await Promise.all(Array.from({ length: 50 }, () => lookup.find(KEY.prefix)));
    expect(found.every((key) => key === KEY)).toBe(true);
    expect(state.queries).toBe(1);
  });

  it("drops a revoked key at once, and checks every key again after a lost notification connection", async () => {
    const { state, store } = fakeStore();
    const { feed, announce } = fakeFeed();
    const lookup = new ApiKeyLookup(store, 30_000, feed, clock);
    await lookup.find(KEY.prefix);
    announce(KEY.prefix);
    state.rows.set(KEY.prefix, { ...KEY, revokedAt: now });
    expect((await lookup.find(KEY.prefix))?.revokedAt).toBe(now);
    expect(state.queries).toBe(2);
    now += 1;
    announce(undefined);
    await lookup.find(KEY.prefix);
    expect(state.queries).toBe(3);
  });

  it("does not remember an answer fetched before a revocation that arrived while it was running", async () => {
    const { state, store } = fakeStore();
    state.delayMs = 20;
    const { feed, announce } = fakeFeed();
    const lookup = new ApiKeyLookup(store, 30_000, feed, clock);
    const running = lookup.find(KEY.prefix);
    announce(KEY.prefix);
    await running;
    state.delayMs = 0;
    await lookup.find(KEY.prefix);
    expect(state.queries).toBe(2);
  });

  it("uses a remembered key past its lifetime while the store is unreachable, and fails a key it never saw", async () => {
    const { state, store } = fakeStore();
    const lookup = new ApiKeyLookup(store, 30_000, undefined, clock);
    await lookup.find(KEY.prefix);
    now += 60_000;
    state.failing = true;
    expect(await lookup.find(KEY.prefix)).toEqual(KEY);
    expect(lookup.lookups()[KeyLookupSource.STALE]).toBe(1);
    await expect(lookup.find("cdl_00000000000f")).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });

  it("uses a remembered key when the store takes longer than 1 s", async () => {
    const { state, store } = fakeStore();
    const lookup = new ApiKeyLookup(store, 30_000, undefined, clock);
    await lookup.find(KEY.prefix);
    now += 60_000;
    state.delayMs = 3_000;
    const started = Date.now();
    expect(await lookup.find(KEY.prefix)).toEqual(KEY);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("remembers nothing with a lifetime of 0 (the CLI)", async () => {
    const { state, store } = fakeStore();
    const lookup = new ApiKeyLookup(store, 0, undefined, clock);
    await lookup.find(KEY.prefix);
    await lookup.find(KEY.prefix);
    expect(state.queries).toBe(2);
  });
});
