import { Timeframe } from "../../../src/domain/timeframe";
import type { LatestFeatureVector, OnlineFeatureStore, SeriesChangeListener } from "../../../src/features/cache-ports";
import type { FeatureRegistryService } from "../../../src/features/feature-registry.service";
import type { FeatureRetrievalService } from "../../../src/features/feature-retrieval.service";
import { LAST_CLOSED_REUSE_MS, LatestFeaturesService } from "../../../src/features/latest-features.service";
import type { MarketDataReader } from "../../../src/features/ports";

// Unit test of the service alone: registry, reader and online store are stand-ins; the online store already
// holds a current vector, so no computation is needed and the only reader call is the newest-closed-bar lookup.
const HOUR = 3_600_000;
const NEWEST = Date.UTC(2025, 4, 5, 23);

function setup() {
  let now = NEWEST + 10 * HOUR;
  let listener: SeriesChangeListener = () => undefined;
  const lookups: string[][] = [];
  let pendingLookup: (() => void) | undefined;
  let holdLookups = false;
  const reader = {
    async lastClosedOpenTimes(symbols: readonly string[]) {
      lookups.push([...symbols]);
      if (holdLookups) await new Promise<void>((resolve) => (pendingLookup = resolve));
      return new Map(symbols.filter((symbol) => symbol !== "NOPE").map((symbol) => [symbol, NEWEST]));
    },
  } as unknown as MarketDataReader;
  const vector: LatestFeatureVector = { openTime: NEWEST, asOf: NEWEST + HOUR, values: { "rsi_14@1": 61.5 } };
  const onlineStore = {
    async readLatest(symbols: readonly string[]) {
      return new Map(symbols.filter((symbol) => symbol !== "NOPE").map((symbol) => [symbol, vector]));
    },
  } as unknown as OnlineFeatureStore;
  const registry = { resolve: async () => [{ name: "rsi_14", version: 1 }] } as unknown as FeatureRegistryService;
  const service = new LatestFeaturesService(
    registry,
    {} as FeatureRetrievalService,
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
    holdNextLookup: () => (holdLookups = true),
    releaseLookup: () => {
      holdLookups = false;
      pendingLookup?.();
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
    expect(later.vectors).toEqual([{ symbol: "BTCUSDT", openTime: NEWEST, asOf: NEWEST + HOUR, values: { "rsi_14@1": 61.5 } }]);
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

  it("is not kept when the bars changed while it was being read", async () => {
    const { latest, lookups, barsChanged, holdNextLookup, releaseLookup } = setup();
    holdNextLookup();
    const racing = latest(["BTCUSDT"]);
    await new Promise((resolve) => setImmediate(resolve));
    barsChanged("BTCUSDT");
    releaseLookup();
    await racing;
    await latest(["BTCUSDT"]);
    expect(lookups).toEqual([["BTCUSDT"], ["BTCUSDT"]]);
  });
});
