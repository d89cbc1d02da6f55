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
import type { IndicatorParameters } from "../src/indicators/indicator";
import type { KernelCall } from "./c-harness";
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
    error?: string;
  };
}
// The binding ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const talib: TalibBinding = require("talib");

function lastOf<T>(values: ArrayLike<T>): T {
  return values[values.length - 1];
}

/**
 * `talib.execute` for one case: the TA-Lib call its reference declares (bench/cases.ts), with the request
 * fields named as `talib.explain(name)` names them; returns our first output's TA-Lib column.
 */
export function talibRunnable(call: KernelCall, input: PeerInputs): Runnable {
  const columns: Record<string, number[]> = {
    open: input.open,
    high: input.high,
    low: input.low,
    close: input.close,
    volume: input.volume,
  };
  const request: Record<string, unknown> = { name: call.function, startIdx: 0, endIdx: input.length - 1, ...call.options };
  for (const [name, column] of Object.entries(call.inputs)) request[name] = columns[column];
  const output = call.outputs[0];
  return () => {
    const result = talib.execute(request);
    if (result.error) throw new Error(`talib ${call.function}: ${result.error}`);
    return lastOf(result.result[output]);
  };
}

/** A fresh trading-signals indicator for the case and what it is fed. */
interface TradingSignalsCase {
  create(): { update(input: never, replace: boolean): unknown };
  /** "close": `update(bar.close)`; "candle": `update(bar)`. */
  readonly feed: "close" | "candle";
}

/** A number from a trading-signals result: itself, or the first numeric field of a result object. */
function firstNumber(result: unknown): number {
  if (typeof result === "number") return result;
  if (result !== null && typeof result === "object") {
    for (const value of Object.values(result)) if (typeof value === "number") return value;
  }
  return NaN;
}

/**
 * A resolved parameter of the case, by our name.
 * @throws Error when the indicator has no such parameter (its trading-signals mapping is out of date)
 */
function parameter(parameters: IndicatorParameters, name: string): number {
  const value = parameters[name];
  if (value === undefined) throw new Error(`no parameter "${name}" (the trading-signals mapping in bench/peers.ts is out of date)`);
  return value;
}

type TradingSignalsFactory = (p: IndicatorParameters) => TradingSignalsCase;
const closeFed = (create: () => { update(input: never, replace: boolean): unknown }): TradingSignalsCase => ({ create, feed: "close" });
const candleFed = (create: () => { update(input: never, replace: boolean): unknown }): TradingSignalsCase => ({ create, feed: "candle" });

/**
 * Candela's id to the trading-signals class that computes the same indicator, constructed with the case's
 * parameters. Only indicators trading-signals has (with the same parameters) are listed; the rest show "—".
 * Where one trading-signals class yields several of our indicators (LinearRegression's prediction, slope
 * and intercept; Aroon's up/down and oscillator) each of ours is compared with the whole class.
 */
const TRADING_SIGNALS: Readonly<Record<string, TradingSignalsFactory>> = {
  sma: (p) => closeFed(() => new ts.SMA(parameter(p, "period"))),
  ema: (p) => closeFed(() => new ts.EMA(parameter(p, "period"))),
  wma: (p) => closeFed(() => new ts.WMA(parameter(p, "period"))),
  hma: (p) => closeFed(() => new ts.HMA(parameter(p, "period"))),
  dema: (p) => closeFed(() => new ts.DEMA(parameter(p, "period"))),
  tema: (p) => closeFed(() => new ts.TEMA(parameter(p, "period"))),
  trima: (p) => closeFed(() => new ts.TRIMA(parameter(p, "period"))),
  // trading-signals' KAMA has TA-Lib's fixed fast 2 and slow 30.
  kama: (p) => closeFed(() => new ts.KAMA(parameter(p, "period"))),
  t3: (p) => closeFed(() => new ts.T3(parameter(p, "period"), parameter(p, "volumeFactor"))),
  ichimoku: (p) =>
    candleFed(
      () =>
        new ts.IchimokuCloud({
          conversionInterval: parameter(p, "tenkanPeriod"),
          baseInterval: parameter(p, "kijunPeriod"),
          spanBInterval: parameter(p, "senkouBPeriod"),
        }),
    ),
  rsi: (p) => closeFed(() => new ts.RSI(parameter(p, "period"))),
  cmo: (p) => closeFed(() => new ts.CMO(parameter(p, "period"))),
  macd: (p) =>
    closeFed(
      () => new ts.MACD(new ts.EMA(parameter(p, "fastPeriod")), new ts.EMA(parameter(p, "slowPeriod")), new ts.EMA(parameter(p, "signalPeriod"))),
    ),
  apo: (p) => closeFed(() => new ts.APO({ fastPeriod: parameter(p, "fastPeriod"), slowPeriod: parameter(p, "slowPeriod") })),
  ppo: (p) => closeFed(() => new ts.PPO({ fastPeriod: parameter(p, "fastPeriod"), slowPeriod: parameter(p, "slowPeriod") })),
  stoch: (p) =>
    candleFed(
      () =>
        new ts.StochasticOscillator({
          kPeriod: parameter(p, "fastKPeriod"),
          kSlowingPeriod: parameter(p, "slowKPeriod"),
          dPeriod: parameter(p, "slowDPeriod"),
        }),
    ),
  // The fast stochastic is the slow one without the %K smoothing (a 1-bar SMA).
  stochf: (p) =>
    candleFed(() => new ts.StochasticOscillator({ kPeriod: parameter(p, "fastKPeriod"), kSlowingPeriod: 1, dPeriod: parameter(p, "fastDPeriod") })),
  roc: (p) => closeFed(() => new ts.ROC(parameter(p, "period"))),
  mom: (p) => closeFed(() => new ts.MOM(parameter(p, "period"))),
  trix: (p) => closeFed(() => new ts.TRIX(parameter(p, "period"))),
  willr: (p) => candleFed(() => new ts.WilliamsR(parameter(p, "period"))),
  ultosc: (p) =>
    candleFed(
      () =>
        new ts.UltimateOscillator({
          shortPeriod: parameter(p, "period1"),
          mediumPeriod: parameter(p, "period2"),
          longPeriod: parameter(p, "period3"),
        }),
    ),
  aroon: (p) => candleFed(() => new ts.Aroon(parameter(p, "period"))),
  aroonosc: (p) => candleFed(() => new ts.Aroon(parameter(p, "period"))),
  cci: (p) => candleFed(() => new ts.CCI(parameter(p, "period"))),
  adx: (p) => candleFed(() => new ts.ADX(parameter(p, "period"))),
  adxr: (p) => candleFed(() => new ts.ADXR(parameter(p, "period"))),
  dx: (p) => candleFed(() => new ts.DX(parameter(p, "period"))),
  bop: () => candleFed(() => new ts.BOP()),
  bbands: (p) => closeFed(() => new ts.BollingerBands(parameter(p, "period"), parameter(p, "standardDeviations"))),
  atr: (p) => candleFed(() => new ts.ATR(parameter(p, "period"))),
  natr: (p) => candleFed(() => new ts.NATR(parameter(p, "period"))),
  trange: () => candleFed(() => new ts.TR()),
  donchian: (p) => candleFed(() => new ts.DonchianChannels(parameter(p, "period"))),
  keltner: (p) =>
    candleFed(
      () =>
        new ts.KeltnerChannels({
          emaInterval: parameter(p, "period"),
          atrInterval: parameter(p, "atrPeriod"),
          multiplier: parameter(p, "multiplier"),
        }),
    ),
  linearreg: (p) => closeFed(() => new ts.LinearRegression(parameter(p, "period"))),
  linearregslope: (p) => closeFed(() => new ts.LinearRegression(parameter(p, "period"))),
  linearregintercept: (p) => closeFed(() => new ts.LinearRegression(parameter(p, "period"))),
  // OBV(interval) keeps `interval` candles and needs the previous one: 2 is the smallest that works.
  obv: () => candleFed(() => new ts.OBV(2)),
  ad: () => candleFed(() => new ts.AD()),
  adosc: (p) => candleFed(() => new ts.ADOSC({ fastPeriod: parameter(p, "fastPeriod"), slowPeriod: parameter(p, "slowPeriod") })),
  mfi: (p) => candleFed(() => new ts.MFI(parameter(p, "period"))),
  // Indicators being added to the registry: measured once they are registered under these ids.
  sar: (p) => candleFed(() => new ts.PSAR({ accelerationStep: parameter(p, "acceleration"), accelerationMax: parameter(p, "maximum") })),
  supertrend: (p) => candleFed(() => new ts.SuperTrend({ interval: parameter(p, "period"), multiplier: parameter(p, "multiplier") })),
  vwap: () => candleFed(() => new ts.VWAP()),
};

/** Whether trading-signals is mapped for this indicator id. */
export function hasTradingSignals(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(TRADING_SIGNALS, id);
}

function tradingSignalsCase(id: string, parameters: IndicatorParameters): TradingSignalsCase {
  const factory = TRADING_SIGNALS[id];
  if (!factory) throw new Error(`trading-signals is not mapped for ${id}`);
  return factory(parameters);
}

/** trading-signals streaming: new instance, `update(x, false)` for every bar object. */
export function tradingSignalsStreamRunnable(id: string, parameters: IndicatorParameters, input: PeerInputs): Runnable {
  const spec = tradingSignalsCase(id, parameters);
  const first = firstNumber;
  const bars = input.candles;
  if (spec.feed === "close") {
    return () => {
      const indicator = spec.create();
      let result: unknown = null;
      for (let i = 0; i < bars.length; i++) result = indicator.update(bars[i].close as never, false);
      return first(result);
    };
  }
  return () => {
    const indicator = spec.create();
    let result: unknown = null;
    for (let i = 0; i < bars.length; i++) result = indicator.update(bars[i] as never, false);
    return first(result);
  };
}

/**
 * trading-signals streaming with each bar just written, in cache (bench/hot-bar-feed.ts): new instance,
 * `update(x, false)` for every bar; only the updates are timed.
 */
export function tradingSignalsHotStreamRunnable(id: string, parameters: IndicatorParameters, feed: HotBarFeed): () => TimedRun {
  const spec = tradingSignalsCase(id, parameters);
  const last = firstNumber;
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

/**
 * technicalindicators' static `calculate`, for the indicators the bench measured first (bench/cases.ts
 * FIRST_TEN) only: the library is slow (0.4–14 M bars/s), so the rest show "—" to keep the bench short.
 */
const TECHNICAL_INDICATORS: Readonly<Record<string, (p: IndicatorParameters, input: PeerInputs) => Runnable>> = {
  sma: (p, { close }) => () => lastOf(ti.SMA.calculate({ period: parameter(p, "period"), values: close })),
  ema: (p, { close }) => () => lastOf(ti.EMA.calculate({ period: parameter(p, "period"), values: close })),
  wma: (p, { close }) => () => lastOf(ti.WMA.calculate({ period: parameter(p, "period"), values: close })),
  rsi: (p, { close }) => () => lastOf(ti.RSI.calculate({ period: parameter(p, "period"), values: close })),
  macd: (p, { close }) => () =>
    lastOf(
      ti.MACD.calculate({
        values: close,
        fastPeriod: parameter(p, "fastPeriod"),
        slowPeriod: parameter(p, "slowPeriod"),
        signalPeriod: parameter(p, "signalPeriod"),
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
    ).MACD ?? NaN,
  bbands: (p, { close }) => () =>
    lastOf(ti.BollingerBands.calculate({ period: parameter(p, "period"), stdDev: parameter(p, "standardDeviations"), values: close })).upper,
  atr: (p, { high, low, close }) => () => lastOf(ti.ATR.calculate({ period: parameter(p, "period"), high, low, close })),
  stoch: (p, { high, low, close }) => () =>
    lastOf(ti.Stochastic.calculate({ period: parameter(p, "fastKPeriod"), signalPeriod: parameter(p, "slowDPeriod"), high, low, close })).k,
  obv: (_p, { close, volume }) => () => lastOf(ti.OBV.calculate({ close, volume })),
  roc: (p, { close }) => () => lastOf(ti.ROC.calculate({ period: parameter(p, "period"), values: close })),
};

/** Whether technicalindicators is measured for this indicator id. */
export function hasTechnicalIndicators(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(TECHNICAL_INDICATORS, id);
}

/** technicalindicators' static `calculate` for the case. */
export function technicalIndicatorsRunnable(id: string, parameters: IndicatorParameters, input: PeerInputs): Runnable {
  const runner = TECHNICAL_INDICATORS[id];
  if (!runner) throw new Error(`technicalindicators is not mapped for ${id}`);
  return runner(parameters, input);
}

/** Where a peer's definition differs from the TA-Lib configuration measured. */
export const PEER_NOTES: readonly string[] = [
  "trading-signals has no batch form (its `updates()` is a loop over `update()`), so only its streaming is measured; it is fed `bar.close` (or the bar) from the same bar objects Candela's stream reads.",
  "trading-signals OBV is `new OBV(2)` (it keeps `interval` candles and needs the previous close); the fast stochastic is its StochasticOscillator with kSlowingPeriod 1; LINEARREG, LINEARREG_SLOPE and LINEARREG_INTERCEPT are each compared with its LinearRegression (which yields all three), AROON and AROONOSC with its Aroon; other definitions (Ichimoku's shifted spans, VWAP's anchoring) may differ in detail: compared for speed only.",
  "technicalindicators is measured for the first ten indicators only (it runs at 0.4–14 M bars/s and would dominate the bench time).",
  "technicalindicators has no slow stochastic: it computes fast %K 14 with %D = SMA 3 of it.",
  "talib (node) is the native binding's synchronous `execute` on plain JS arrays (copied in and out).",
];
