import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN } from "../../../src/domain/trading-calendar";
import type { FeatureDefinition } from "../../../src/features/feature-definition";
import { LatestFeaturesService, LatestValueStatus } from "../../../src/features/latest-features.service";
import type { LiveSeriesSource, LiveSeriesView } from "../../../src/features/live/live-series-source";
import type { FeatureResolver } from "../../../src/features/ports/feature-resolver";
import type { LatestFeatureVector, OnlineFeatureStore } from "../../../src/features/ports/online-feature-store";

// Unit test of the service alone: the registry, the reader, the materializer and the online store are stand-ins.
const HOUR = 3_600_000;
const NEWEST = Date.UTC(2025, 4, 5, 23);

function definition(id: number, name: string, timeframe: Timeframe | null = null): FeatureDefinition {
  return { id, name, version: 1, indicator: "rsi", indicatorVersion: 1, parameters: { period: 14 }, output: "value", timeframe, description: "", input: null, fingerprint: name, createdAt: 0 };
}
const RSI = definition(1, "rsi_14");
const EMA = definition(2, "ema_20");

function setup(options: { online?: "down" | Map<string, LatestFeatureVector>; now?: number } = {}) {
  const activations: string[] = [];
  const active = new Map<string, LiveSeriesView>();
  const view = (symbol: string, features: readonly FeatureDefinition[]): LiveSeriesView => ({
    symbol,
    timeframe: Timeframe.H1,
    context: { timeframe: Timeframe.H1, calendar: ALWAYS_OPEN },
    features,
    latest: { openTime: NEWEST, computedAt: NEWEST + HOUR, revision: 0, values: Object.fromEntries(features.map((feature) => [`${feature.name}@1`, feature.id * 10])) },
    window: (count) => ({ openTimes: [NEWEST - HOUR, NEWEST].slice(-count), values: features.map((feature) => Float64Array.from([feature.id, feature.id * 10]).slice(-count)) }),
  });
  const materializer: LiveSeriesSource = {
    get: (symbol) => active.get(symbol),
    activate: async (symbol, _timeframe, _calendar, definitions) => {
      activations.push(symbol);
      const series = view(symbol, definitions);
      active.set(symbol, series);
      return series;
    },
  };
  const onlineStore: OnlineFeatureStore = {
    async readLatest(symbols) {
      if (options.online === "down") throw new DomainError(ErrorCode.UNAVAILABLE, "The online feature store (Redis) is unreachable.");
      return new Map([...(options.online ?? new Map()).entries()].filter(([symbol]) => symbols.includes(symbol)));
    },
    writeLatest: () => Promise.reject(new Error("the service never writes the online store")),
  };
  const registry: FeatureResolver = { resolve: async (features) => features.map((name) => (name.startsWith("ema") ? EMA : name.startsWith("h1_") ? definition(3, "h1_only", Timeframe.M1) : RSI)) };
  const reader = { findInstruments: async (symbols: readonly string[]) => new Map(symbols.filter((symbol) => symbol !== "NOPE").map((symbol) => [symbol, { symbol, calendar: ALWAYS_OPEN }])) };
  const service = new LatestFeaturesService(registry, reader, materializer, onlineStore, () => options.now ?? NEWEST + HOUR + 1);
  return { service, activations };
}

describe("LatestFeaturesService", () => {
  it("answers every requested symbol: an unknown one with known: false and MISSING values", async () => {
    const { service } = setup();
    const { references, entries } = await service.latest(["BTCUSDT", "NOPE"], Timeframe.H1, ["rsi_14"]);
    expect(references).toEqual(["rsi_14@1"]);
    expect(entries.map((entry) => [entry.symbol, entry.known])).toEqual([["BTCUSDT", true], ["NOPE", false]]);
    expect(entries[0].values).toEqual([{ reference: "rsi_14@1", value: 10, status: LatestValueStatus.PRESENT, openTime: NEWEST, computedAt: NEWEST + HOUR }]);
    expect(entries[1].values).toEqual([{ reference: "rsi_14@1", value: null, status: LatestValueStatus.MISSING, openTime: undefined, computedAt: undefined }]);
  });

  it("activates a series once; later requests read without starting it again", async () => {
    const { service, activations } = setup();
    await service.latest(["BTCUSDT", "ETHUSDT"], Timeframe.H1, ["rsi_14"]);
    await service.latest(["BTCUSDT", "ETHUSDT"], Timeframe.H1, ["rsi_14"]);
    expect(activations).toEqual(["BTCUSDT", "ETHUSDT"]);
    await service.latest(["BTCUSDT"], Timeframe.H1, ["ema_20"]);
    expect(activations).toEqual(["BTCUSDT", "ETHUSDT", "BTCUSDT"]);
  });

  it("prefers the online store's newer vector, and serves the materializer's values when the online store is down", async () => {
    const newer = { openTime: NEWEST + HOUR, computedAt: NEWEST + 2 * HOUR, revision: 0, values: { "rsi_14@1": 61.5 } };
    const online = setup({ online: new Map([["BTCUSDT", newer]]), now: NEWEST + 2 * HOUR + 1 });
    const [fromStore] = (await online.service.latest(["BTCUSDT"], Timeframe.H1, ["rsi_14", "ema_20"])).entries;
    expect(fromStore.values.map((value) => [value.value, value.openTime, value.status])).toEqual([
      [61.5, NEWEST + HOUR, LatestValueStatus.PRESENT],
      [20, NEWEST, LatestValueStatus.STALE], // only the materializer has it, for the bar before
    ]);
    const down = setup({ online: "down" });
    const [fromMemory] = (await down.service.latest(["BTCUSDT"], Timeframe.H1, ["rsi_14"])).entries;
    expect(fromMemory.values[0]).toMatchObject({ value: 10, status: LatestValueStatus.PRESENT });
  });

  it("says STALE when the calendar expects a newer bar than the value's", async () => {
    const { service } = setup({ now: NEWEST + 3 * HOUR });
    const [entry] = (await service.latest(["BTCUSDT"], Timeframe.H1, ["rsi_14"])).entries;
    expect(entry.values[0].status).toBe(LatestValueStatus.STALE);
  });

  it("returns the last N closed bars' values for `window`, in request order of the features", async () => {
    const { service } = setup();
    const [entry] = (await service.latest(["BTCUSDT"], Timeframe.H1, ["ema_20", "rsi_14"], 2)).entries;
    expect(entry.window!.openTimes).toEqual([NEWEST - HOUR, NEWEST]);
    expect(entry.window!.values.map((column) => [...column])).toEqual([[2, 20], [1, 10]]);
  });

  it.each([
    [["rsi_14"], 0, /`window` must be a whole number of bars from 1 to 1000; got 0/],
    [["rsi_14"], 1001, /from 1 to 1000; got 1001/],
    [["h1_only"], undefined, /is defined for 1m bars only, not 1h/],
  ])("rejects %j with window %s: BAD_USER_INPUT", async (features, window, message) => {
    const { service } = setup();
    await expect(service.latest(["BTCUSDT"], Timeframe.H1, features, window)).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message: expect.stringMatching(message) });
  });
});
