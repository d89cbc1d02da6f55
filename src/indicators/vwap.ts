import { type Bar, PriceField } from "../domain/bar";
import { Timeframe, timeframeDurationMs } from "../domain/timeframe";
import { ALWAYS_OPEN, CALENDAR_PRESETS, dailySessionOf, type TimeInterval, type TradingCalendar } from "../domain/trading-calendar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { ReferenceKind } from "./reference";
import type { SeriesContext } from "./series-context";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/**
 * Most bars one daily session can hold: a session lasts at most 25 hours (a local day out of summer time, see
 * `dailySessionOf`), and the finest timeframe (1m) puts 1500 bars on the UTC grid in 25 hours.
 */
export const MAX_BARS_PER_SESSION = 25 * 60;

/** Longest daily session, in milliseconds: 25 hours (a local day out of summer time). */
const LONGEST_SESSION_MS = 25 * 3_600_000;

/** Most bars of `timeframe` one session can hold (opening on the UTC grid within 25 hours): 25 for 1h, 2 for 1d. */
function barsPerSession(timeframe: Timeframe): number {
  return Math.ceil(LONGEST_SESSION_MS / timeframeDurationMs(timeframe));
}

const instant = (iso: string) => Date.parse(iso);

/** High, low, close and volume of the worked examples, oldest first (their open times are set per example). */
const WORKED_PRICES = [
  [10.0, 9.0, 9.5],
  [10.4, 9.6, 10.2],
  [10.6, 10.0, 10.5],
  [10.5, 10.1, 10.3],
  [10.8, 10.2, 10.6],
  [10.7, 10.3, 10.4],
];

/** The worked example's bars with these open times and volumes. */
function workedBars(openTimes: readonly string[], volumes: readonly number[]): Partial<Bar>[] {
  return WORKED_PRICES.map(([high, low, close], row) => ({ openTime: instant(openTimes[row]), high, low, close, volume: volumes[row] }));
}

/** Typical price (hlc3): (high + low + close) / 3, in the price's unit. */
function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}

/**
 * The session's VWAP after a bar of typical price `price` and volume `volume` joins sums `priceVolume` (Σ tp·volume)
 * and `totalVolume` (Σ volume) of the earlier bars of its session: Σ tp·volume / Σ volume, or the bar's own typical
 * price while the session has traded no volume (Σ volume = 0).
 */
function vwapOf(priceVolume: number, totalVolume: number, price: number, volume: number): number {
  const volumeSoFar = totalVolume + volume;
  return volumeSoFar === 0 ? price : (priceVolume + price * volume) / volumeSoFar;
}

/**
 * The running sums of the current daily session, one bar at a time: a bar outside the current session's [start, end)
 * starts a new one (sums back to 0), found by `sessionOf` only then (once per session, not per bar). Batch and stream
 * both run it, so they agree bit for bit.
 */
class SessionVwap {
  /** The current session's start and end (epoch ms); NaN before the first bar. */
  private sessionStart = NaN;
  private sessionEnd = NaN;
  /** Σ tp·volume and Σ volume over the current session's bars so far. */
  private priceVolume = 0;
  private totalVolume = 0;

  /** @param sessionOf the daily session containing an open time (a function field: behaviour, not checkpointed state) */
  constructor(private readonly sessionOf: (openTime: number) => TimeInterval) {}

  /** Feeds the next bar; returns the VWAP of its session up to and including it. */
  next(openTime: number, high: number, low: number, close: number, volume: number): number {
    if (!(openTime >= this.sessionStart && openTime < this.sessionEnd)) {
      const { start, end } = this.sessionOf(openTime);
      this.sessionStart = start;
      this.sessionEnd = end;
      this.priceVolume = 0;
      this.totalVolume = 0;
    }
    const price = typicalPrice(high, low, close);
    const value = vwapOf(this.priceVolume, this.totalVolume, price, volume);
    this.priceVolume += price * volume;
    this.totalVolume += volume;
    return value;
  }

  /** What `next` would return now, without changing the state: a bar outside the current session starts its own. */
  peek(openTime: number, high: number, low: number, close: number, volume: number): number {
    const price = typicalPrice(high, low, close);
    return openTime >= this.sessionStart && openTime < this.sessionEnd
      ? vwapOf(this.priceVolume, this.totalVolume, price, volume)
      : vwapOf(0, 0, price, volume);
  }
}

/**
 * The session finder of a context.
 * @throws Error naming the SeriesContext when it is missing (a programming error of the caller: every computation
 *   path of the program passes the series' context)
 */
function sessionFinder(context: SeriesContext | undefined): (openTime: number) => TimeInterval {
  if (context === undefined) {
    throw new Error(
      'Indicator "vwap" needs the series context (SeriesContext: timeframe and trading calendar) to find each bar\'s session; ' +
        "pass it to computeBatch, computeBatchInto or createStream.",
    );
  }
  const calendar: TradingCalendar = context.calendar;
  return (openTime) => dailySessionOf(calendar, openTime);
}

/** Streaming VWAP over the same `SessionVwap` as the batch form. */
class VwapStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly state: SessionVwap;
  count = 0;

  constructor(sessionOf: (openTime: number) => TimeInterval) {
    this.state = new SessionVwap(sessionOf);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.state.next(bar.openTime, bar.high, bar.low, bar.close, bar.volume);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.state.peek(bar.openTime, bar.high, bar.low, bar.close, bar.volume);
    return this.previewed;
  }
}

/**
 * Session VWAP: the volume-weighted average typical price of the current daily session of the instrument's calendar,
 * value[i] = Σ tp[j]·volume[j] / Σ volume[j] over the bars j of row i's session up to and including row i, with
 * tp = (high + low + close) / 3 (hlc3). Rows used: from the session's first bar to i (at most MAX_BARS_PER_SESSION),
 * written at row i.
 * Session: `dailySessionOf` (src/domain/trading-calendar.ts) of the bar's open time: the UTC day for an always-open
 * calendar (crypto), otherwise the day starting at the weekly session's open time of day in its time zone (fx: 17:00
 * New York; weekdays, fx-broker, nyse: 00:00 UTC). The first bar of each session resets the sums.
 * Zero volume: while the session's volume so far is 0, the value is the bar's own typical price (a zero-volume bar later
 * in the session carries no weight and leaves the value unchanged).
 * Parameters: none. Inputs high, low, close, volume (and the open time). Output `value` in the price's unit, defined
 * from row 0 (lookback 0).
 * Warm-up: the bars one session can hold, less one: a value depends only on its own session's bars. Given the series'
 * context, that is ceil(25 h / timeframe) − 1 (24 for 1h bars, 1 for 1d); without it, the bound for any timeframe,
 * MAX_BARS_PER_SESSION − 1 = 1499 (25 hours of 1m bars). Finite: a start one session earlier changes nothing.
 * Needs the SeriesContext: computeBatch, computeBatchInto and createStream throw an Error naming it without one.
 */
export const vwap: IndicatorDefinition = defineIndicator({
  id: "vwap",
  name: "Session VWAP",
  description:
    "Volume: the volume-weighted average typical price ((high + low + close) / 3) of the current trading session, value = Σ tp·volume / Σ volume over the session's bars up to and including this one; it resets at each daily session open of the instrument's calendar (the UTC day for crypto, 17:00 New York for fx, 00:00 UTC for the weekdays presets). The price the session has traded at on average: closes above it show buyers in control. While the session has traded no volume the value is the bar's typical price.",
  source: "Session-anchored VWAP with hlc3 typical price, as talipp's VWAP anchored daily and TradingView's VWAP (anchor: session).",
  version: 1,
  group: IndicatorGroup.VOLUME,
  parameters: [],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE, PriceField.VOLUME],
  outputs: [{ name: "value", description: "Volume-weighted average typical price of the session so far, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "VWAP = Σ(typical price × volume) / Σ volume over the session so far, typical price = (high + low + close) / 3, reset at each session open: " +
      'StockCharts ChartSchool, "Volume-Weighted Average Price (VWAP)" (intraday, starts fresh every day); talipp VWAP with a daily anchor ' +
      "(checked on 744 real BTCUSDT 1h bars in test/unit/indicators/vwap.test.ts). Values below computed independently with exact fractions " +
      "(Python's fractions.Fraction, a throw-away script) from that definition; the zero-volume rule (the bar's typical price) is Candela's.",
    cases: [
      {
        // Always open: the session is the UTC day, so the 00:00 bar (zero volume: its own typical price) starts a new one.
        parameters: {},
        context: { timeframe: Timeframe.H1, calendar: ALWAYS_OPEN },
        bars: workedBars(
          ["2025-01-01T21:00:00Z", "2025-01-01T22:00:00Z", "2025-01-01T23:00:00Z", "2025-01-02T00:00:00Z", "2025-01-02T01:00:00Z", "2025-01-02T02:00:00Z"],
          [100, 50, 150, 0, 200, 100],
        ),
        expected: { value: [9.5, 9.688888888888888, 10.027777777777779, 10.3, 10.533333333333333, 10.511111111111111] },
      },
      {
        // fx: sessions open at 17:00 New York = 22:00 UTC in January, so the 22:00 bar starts one and 00:00 UTC does not;
        // the zero-volume bar at 20:00 leaves the value unchanged.
        parameters: {},
        context: { timeframe: Timeframe.H1, calendar: CALENDAR_PRESETS.fx.calendar },
        bars: workedBars(
          ["2025-01-06T19:00:00Z", "2025-01-06T20:00:00Z", "2025-01-06T21:00:00Z", "2025-01-06T22:00:00Z", "2025-01-06T23:00:00Z", "2025-01-07T00:00:00Z"],
          [100, 0, 150, 80, 200, 100],
        ),
        expected: { value: [9.5, 9.5, 10.02, 10.3, 10.466666666666667, 10.466666666666667] },
      },
    ],
  },
  testCases: [{}],
  read: () => ({}),
  lookback: () => 0,
  warmup: (_settings, tolerance, context) => finiteWarmup(context === undefined ? MAX_BARS_PER_SESSION - 1 : barsPerSession(context.timeframe) - 1, tolerance),
  writeBatch(_settings, columns, [value], context) {
    const state = new SessionVwap(sessionFinder(context));
    const { openTime, high, low, close, volume } = columns;
    for (let i = 0; i < columns.length; i++) value[i] = state.next(openTime[i], high[i], low[i], close[i], volume[i]);
  },
  createStream: (_settings, context) => new VwapStream(sessionFinder(context)),
});
