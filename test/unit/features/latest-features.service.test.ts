import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { Timeframe } from "../../../src/domain/timeframe";
import type { LatestFeatureVector, OnlineFeatureStore } from "../../../src/features/ports/online-feature-store";
import type { SeriesChangeListener } from "../../../src/features/ports/query-cache";
import type { FeatureDefinition } from "../../../src/features/feature-definition";
import type { FeatureFrameSource } from "../../../src/features/ports/feature-frame-source";
import type { FeatureResolver } from "../../../src/features/ports/feature-resolver";
import { LAST_CLOSED_MAX_AGE_MS, LAST_CLOSED_REUSE_MS, LatestFeaturesService } from "../../../src/features/latest-features.service";

// Unit test of the service alone: registry, reader and online store are stand-ins; the online store already
// holds a current vector, so no computation is needed and the only reader call is the newest-closed-bar lookup.
const HOUR = 3_600_000;

/** Lets pending promise callbacks run (the service's awaits up to the reader call). */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const NEWEST = Date.UTC(2025, 4, 5, 23);

function setup() {
  let now = NEWEST + 10 * HOUR;
  let listener: SeriesChangeListener = () => undefined;
  const lookups: string[][] = [];
  const pendingLookups: (() => void)[] = [];
  let holdLookups = false;
  let failLookups = false;
  const reader = {
    async lastClosedOpenTimes(symbols: readonly string[]): Promise<Map<string, number>> {
      lookups.push([...symbols]);
      if (holdLookups) await new Promise<void>((resolve) => pendingLookups.push(resolve));
      if (failLookups) throw new DomainError(ErrorCode.UNAVAILABLE, "PostgreSQL is unavailable.");
      return new Map(symbols.filter((symbol) => symbol !== "NOPE").map((symbol) => [symbol, NEWEST]));
    },
  };
  const vector: LatestFeatureVector = { openTime: NEWEST, computedAt: NEWEST + HOUR, values: { "rsi_14@1": 61.5 } };
  const onlineStore: OnlineFeatureStore = {
    async readLatest(symbols: readonly string[]) {
      return new Map(symbols.filter((symbol) => symbol !== "NOPE").map((symbol) => [symbol, vector]));
    },
    async writeLatest() {
      throw new Error("the online store holds current vectors: nothing is written");
    },
  };
  const rsi: FeatureDefinition = {
    id: 1, name: "rsi_14", version: 1, indicator: "rsi", indicatorVersion: 1, parameters: { period: 14 }, output: "value",
    timeframe: null, description: "", fingerprint: "f", createdAt: 0,
  };
  const registry: FeatureResolver = { resolve: async () => [rsi] };
  const frames: FeatureFrameSource = {
    retrieve: () => Promise.reject(new Error("the online store holds current vectors: nothing is computed")),
  };
  const service = new LatestFeaturesService(
    registry,
    frames,
    reader,
    onlineStore,
    { onSeriesChanged: (registered) => (listener = registered) },
    () => now,
  );
  return {
    service,
    lookups,
    latest: (symbols: string[]) => service.latest(symbols, Timeframe.H1, ["rsi_14"]),
    advance: (ms: number) => (now += ms),
    barsChanged: (symbol: string | undefined) => listener(symbol),
    holdLookups: () => (holdLookups = true),
    failLookups: (fail: boolean) => (failLookups = fail),
    releaseLookups: () => {
      holdLookups = false;
      pendingLookups.splice(0).forEach((resolve) => resolve());
    },
  };
}

describe("LatestFeaturesService: the newest closed bar per series", () => {
  it(`is read from PostgreSQL once per ${LAST_CLOSED_REUSE_MS} ms, for the symbols not already known`, async () => {
    const { latest, lookups, advance } = setup();
    const first = await latest(["BTCUSDT", "NOPE"]);
    expect(first.vectors.map((vector) => vector.symbol)).toEqual(["BTCUSDT"]);
    advance(LAST_CLOSED_REUSE_MS - 1);
    await latest(["BTCUSDT", "NOPE", "ETHUSDT"]);
    expect(lookups).toEqual([["BTCUSDT", "NOPE"], ["ETHUSDT"]]);
    advance(1);
    const later = await latest(["BTCUSDT", "NOPE"]);
    expect(lookups).toEqual([["BTCUSDT", "NOPE"], ["ETHUSDT"], ["BTCUSDT", "NOPE"]]);
    expect(later.vectors).toEqual([{ symbol: "BTCUSDT", openTime: NEWEST, computedAt: NEWEST + HOUR, values: { "rsi_14@1": 61.5 } }]);
  });

  it(`is still used, while read again in the background, until it is ${LAST_CLOSED_MAX_AGE_MS} ms old; older, it is waited for`, async () => {
    const { latest, lookups, advance, holdLookups, releaseLookups } = setup();
    await latest(["BTCUSDT"]);
    advance(LAST_CLOSED_REUSE_MS);
    holdLookups();
    // Answered at once from the previous read, although the new one has not returned.
    expect((await latest(["BTCUSDT"])).vectors).toHaveLength(1);
    expect((await latest(["BTCUSDT"])).vectors).toHaveLength(1);
    expect(lookups).toEqual([["BTCUSDT"], ["BTCUSDT"]]);
    releaseLookups();
    await settle();
    // The background read is now the one reused.
    advance(LAST_CLOSED_REUSE_MS - 1);
    await latest(["BTCUSDT"]);
    expect(lookups).toHaveLength(2);
    // Too old to use: the request waits for the read.
    advance(LAST_CLOSED_MAX_AGE_MS);
    holdLookups();
    let answered = false;
    const waiting = latest(["BTCUSDT"]).then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    releaseLookups();
    await waiting;
    expect(lookups).toHaveLength(3);
  });

  it("is forgotten at once when the symbol's bars change (or any symbol's may have)", async () => {
    const { latest, lookups, barsChanged } = setup();
    await latest(["BTCUSDT", "ETHUSDT"]);
    barsChanged("ETHUSDT");
    await latest(["BTCUSDT", "ETHUSDT"]);
    expect(lookups).toEqual([["BTCUSDT", "ETHUSDT"], ["ETHUSDT"]]);
    barsChanged(undefined);
    await latest(["BTCUSDT", "ETHUSDT"]);
    expect(lookups).toEqual([["BTCUSDT", "ETHUSDT"], ["ETHUSDT"], ["BTCUSDT", "ETHUSDT"]]);
  });

  it("is read once for requests that arrive while it is being read", async () => {
    const { latest, lookups, holdLookups, releaseLookups } = setup();
    holdLookups();
    const first = latest(["BTCUSDT", "ETHUSDT"]);
    await settle();
    const second = latest(["ETHUSDT", "SOLUSDT"]);
    await settle();
    releaseLookups();
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.vectors.map((vector) => vector.symbol))).toEqual([["BTCUSDT", "ETHUSDT"], ["ETHUSDT", "SOLUSDT"]]);
    expect(lookups).toEqual([["BTCUSDT", "ETHUSDT"], ["SOLUSDT"]]);
  });

  it("is not kept, nor waited for by later requests, when the bars changed while it was being read", async () => {
    const { latest, lookups, barsChanged, holdLookups, releaseLookups } = setup();
    holdLookups();
    const racing = latest(["BTCUSDT"]);
    await settle();
    barsChanged("BTCUSDT");
    const after = latest(["BTCUSDT"]);
    await settle();
    releaseLookups();
    await Promise.all([racing, after]);
    expect(lookups).toEqual([["BTCUSDT"], ["BTCUSDT"]]);
    await latest(["BTCUSDT"]);
    expect(lookups).toEqual([["BTCUSDT"], ["BTCUSDT"]]);
  });

  it("fails every request waiting for a failed read with its error, and is read again by the next", async () => {
    const { latest, lookups, holdLookups, releaseLookups, failLookups } = setup();
    failLookups(true);
    holdLookups();
    const first = latest(["BTCUSDT"]);
    await settle();
    const second = latest(["BTCUSDT"]);
    await settle();
    releaseLookups();
    await expect(first).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(second).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    failLookups(false);
    expect((await latest(["BTCUSDT"])).vectors).toHaveLength(1);
    expect(lookups).toEqual([["BTCUSDT"], ["BTCUSDT"]]);
  });
});
