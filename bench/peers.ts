/**
 * The JavaScript peers Candela is measured against, one runnable per (library, mode, indicator):
 *
 * - `talib`: the native TA-Lib binding's synchronous `execute` (plain JS arrays in and out; the
 *   binding copies them to C arrays and back, which is most of its cost).
 * - `trading-signals` streaming: a fresh indicator instance fed every bar with `update(x, false)`,
 *   where x is `bar.close` or the bar object itself, read from the same bar objects Candela's stream
 *   gets: just written (bench/hot-bar-feed.ts), and from a million prebuilt objects in memory. (The
 *   library has no batch form: its `updates()` is a loop over `update`.)
 * - `technicalindicators`: the static `calculate` of each indicator class.
 *
 * Every runnable returns the first output's value on the last bar (a number), which keeps the work
 * observable and lets the report show it. Peers' definitions are not all TA-Lib's (noted in
 * PEER_NOTES); they are compared for speed only.
 */
import * as ti from "technicalindicators";
import type { HotBarFeed } from "./hot-bar-feed";
import type { TimedRun } from "./timing";

/**
 * trading-signals is published as ES modules only; Node >= 20.19 can `require` it. The type-only
 * `import()` with `resolution-mode: import` satisfies both tsconfigs (CommonJS for the bench build,
 * node16 for the root `npm run typecheck`).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts: typeof import("trading-signals", { with: { "resolution-mode": "import" } }) = require("trading-signals");

/** The same bars in the shapes the peers take. */
export interface PeerInputs {
  readonly length: number;
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
  /** One object per bar with openTime/open/high/low/close/volume (also Candela's stream input). */
  readonly candles: readonly Candle[];
}

/** A bar as an object; satisfies Candela's StreamInput and trading-signals' candle types. */
export interface Candle {
  /** Epoch ms. */
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A measured unit of work: processes all bars once, returns the last bar's first output. */
export type Runnable = () => number;

/** Minimal typing of the `talib` native binding's synchronous call. */
interface TalibBinding {
  execute(request: Record<string, unknown>): {
    begIndex: number;
    nbElement: number;
    result: Record<string, number[]>;
  };
}
// The binding ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const talib: TalibBinding = require("talib");

function lastOf<T>(values: ArrayLike<T>): T {
  return values[values.length - 1];
}

/** `talib.execute` for one case; the request fields follow `talib.explain(name)`. */
export function talibRunnable(id: string, input: PeerInputs): Runnable {
  const base = { startIdx: 0, endIdx: input.length - 1 };
  const requests: Record<string, [Record<string, unknown>, string]> = {
    sma: [{ name: "SMA", inReal: input.close, optInTimePeriod: 20 }, "outReal"],
    ema: [{ name: "EMA", inReal: input.close, optInTimePeriod: 50 }, "outReal"],
    wma: [{ name: "WMA", inReal: input.close, optInTimePeriod: 20 }, "outReal"],
    rsi: [{ name: "RSI", inReal: input.close, optInTimePeriod: 14 }, "outReal"],
    macd: [
      { name: "MACD", inReal: input.close, optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
      "outMACD",
    ],
    bbands: [
      { name: "BBANDS", inReal: input.close, optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
      "outRealUpperBand",
    ],
    atr: [
      { name: "ATR", high: input.high, low: input.low, close: input.close, optInTimePeriod: 14 },
      "outReal",
    ],
    stoch: [
      {
        name: "STOCH",
        high: input.high,
        low: input.low,
        close: input.close,
        optInFastK_Period: 14,
        optInSlowK_Period: 3,
        optInSlowK_MAType: 0,
        optInSlowD_Period: 3,
        optInSlowD_MAType: 0,
      },
      "outSlowK",
    ],
    obv: [{ name: "OBV", inReal: input.close, volume: input.volume }, "outReal"],
    roc: [{ name: "ROC", inReal: input.close, optInTimePeriod: 10 }, "outReal"],
  };
  const [request, output] = requests[id];
  const full = { ...base, ...request };
  return () => lastOf(talib.execute(full).result[output]);
}

/** A fresh trading-signals indicator for the case, what it is fed, and how to read output 1. */
interface TradingSignalsCase {
  create(): { update(input: never, replace: boolean): unknown };
  /** "close": `update(bar.close)`; "candle": `update(bar)`. */
  readonly feed: "close" | "candle";
  /** First output (Candela's order) from a non-null result. */
  first(result: unknown): number;
}

const asNumber = (result: unknown): number => result as number;

const TRADING_SIGNALS: Record<string, TradingSignalsCase> = {
  sma: { create: () => new ts.SMA(20), feed: "close", first: asNumber },
  ema: { create: () => new ts.EMA(50), feed: "close", first: asNumber },
  wma: { create: () => new ts.WMA(20), feed: "close", first: asNumber },
  rsi: { create: () => new ts.RSI(14), feed: "close", first: asNumber },
  macd: {
    create: () => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)),
    feed: "close",
    first: (r) => (r as { macd: number }).macd,
  },
  bbands: { create: () => new ts.BollingerBands(20, 2), feed: "close", first: (r) => (r as { upper: number }).upper },
  atr: { create: () => new ts.ATR(14), feed: "candle", first: asNumber },
  stoch: {
    create: () => new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 }),
    feed: "candle",
    first: (r) => (r as { stochK: number }).stochK,
  },
  // OBV(interval) keeps `interval` candles and needs the previous one: 2 is the smallest that works.
  obv: { create: () => new ts.OBV(2), feed: "candle", first: asNumber },
  roc: { create: () => new ts.ROC(10), feed: "close", first: asNumber },
};

/** trading-signals streaming: new instance, `update(x, false)` for every bar object. */
export function tradingSignalsStreamRunnable(id: string, input: PeerInputs): Runnable {
  const spec = TRADING_SIGNALS[id];
  const bars = input.candles;
  if (spec.feed === "close") {
    return () => {
      const indicator = spec.create();
      let result: unknown = null;
      for (let i = 0; i < bars.length; i++) result = indicator.update(bars[i].close as never, false);
      return spec.first(result);
    };
  }
  return () => {
    const indicator = spec.create();
    let result: unknown = null;
    for (let i = 0; i < bars.length; i++) result = indicator.update(bars[i] as never, false);
    return spec.first(result);
  };
}

/**
 * trading-signals streaming with each bar just written, in cache (bench/hot-bar-feed.ts): new instance,
 * `update(x, false)` for every bar; only the updates are timed.
 */
export function tradingSignalsHotStreamRunnable(id: string, feed: HotBarFeed): () => TimedRun {
  const spec = TRADING_SIGNALS[id];
  const last = (result: unknown): number => (result === null ? NaN : spec.first(result));
  // Locals only inside the chunk loops, as in Candela's (bench/candela.ts).
  if (spec.feed === "close") {
    return () => {
      const indicator = spec.create();
      return feed.replay((pool, count) => {
        const local = indicator;
        let result: unknown = null;
        for (let i = 0; i < count; i++) result = local.update(pool[i].close as never, false);
        return last(result);
      });
    };
  }
  return () => {
    const indicator = spec.create();
    return feed.replay((pool, count) => {
      const local = indicator;
      let result: unknown = null;
      for (let i = 0; i < count; i++) result = local.update(pool[i] as never, false);
      return last(result);
    });
  };
}

/** technicalindicators' static `calculate`. */
export function technicalIndicatorsRunnable(id: string, input: PeerInputs): Runnable {
  const { high, low, close, volume } = input;
  const runners: Record<string, Runnable> = {
    sma: () => lastOf(ti.SMA.calculate({ period: 20, values: close })),
    ema: () => lastOf(ti.EMA.calculate({ period: 50, values: close })),
    wma: () => lastOf(ti.WMA.calculate({ period: 20, values: close })),
    rsi: () => lastOf(ti.RSI.calculate({ period: 14, values: close })),
    macd: () =>
      lastOf(
        ti.MACD.calculate({
          values: close,
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        }),
      ).MACD ?? NaN,
    bbands: () => lastOf(ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close })).upper,
    atr: () => lastOf(ti.ATR.calculate({ period: 14, high, low, close })),
    stoch: () => lastOf(ti.Stochastic.calculate({ period: 14, signalPeriod: 3, high, low, close })).k,
    obv: () => lastOf(ti.OBV.calculate({ close, volume })),
    roc: () => lastOf(ti.ROC.calculate({ period: 10, values: close })),
  };
  return runners[id];
}

/** Where a peer's definition differs from the TA-Lib configuration measured. */
export const PEER_NOTES: readonly string[] = [
  "trading-signals has no batch form (its `updates()` is a loop over `update()`), so only its streaming is measured; it is fed `bar.close` (or the bar) from the same bar objects Candela's stream reads.",
  "trading-signals OBV is `new OBV(2)` (it keeps `interval` candles and needs the previous close).",
  "technicalindicators has no slow stochastic: it computes fast %K 14 with %D = SMA 3 of it.",
  "talib (node) is the native binding's synchronous `execute` on plain JS arrays (copied in and out).",
];
