import { type Bar, PriceField } from "../domain/bar";
import { AtrStream } from "./atr";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter, realParameter } from "./parameters";
import { multipleParameter, periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** SuperTrend's settings. */
interface SupertrendSettings {
  /** Bars of the ATR (Wilder's smoothing). */
  readonly period: number;
  /** Band distance from the bar's midpoint, in ATRs. */
  readonly multiplier: number;
}

function settingsOf(parameters: IndicatorParameters): SupertrendSettings {
  return { period: integerParameter(parameters, "period"), multiplier: realParameter(parameters, "multiplier") };
}

/**
 * Bars of warm-up beyond the ATR's own (see `supertrend`): a final band can be held unchanged for a while, keeping
 * the ATR of the bar it was last reset on, so the ATR must have converged that many bars earlier.
 * @returns 100 + 4 · period bars
 */
function holdAllowance(period: number): number {
  return 100 + 4 * period;
}

/**
 * High, low and close of the worked examples, oldest first: a rise (after the first ATR row's down-trend), a fall, a
 * rebound through the upper band (up-trend) and a fall through the lower band (down-trend again).
 */
const WORKED_BARS: readonly Partial<Bar>[] = [
  [10.0, 9.0, 9.5], [10.4, 9.4, 10.2], [10.8, 10.0, 10.6], [11.4, 10.5, 11.2], [11.9, 11.0, 11.8], [12.1, 11.4, 11.6],
  [11.7, 10.6, 10.8], [11.0, 9.8, 10.0], [10.4, 9.5, 9.7], [10.2, 9.3, 10.0], [11.0, 9.9, 10.9], [11.8, 10.8, 11.7],
  [12.2, 11.5, 12.0], [12.0, 11.2, 11.4], [11.5, 10.6, 10.7], [10.8, 9.9, 10.0], [10.1, 9.4, 9.5],
].map(([high, low, close]) => ({ high, low, close }));

/**
 * The band recursion of SuperTrend on top of an ATR, one bar at a time (prices in quote currency).
 * `copyFrom` onto a scratch instance gives previews without touching the state.
 */
class SupertrendBands {
  /** Final upper and lower bands of the last bar (NaN before the first). */
  private upper = NaN;
  private lower = NaN;
  /** Close of the last bar fed. */
  private previousClose = NaN;
  /** Up-trend (value = lower band) after the last bar. */
  private up = false;
  /** Whether a bar with a defined ATR was fed. */
  private started = false;

  constructor(private readonly multiplier: number) {}

  /** Makes this state equal to `other` (same multiplier). */
  copyFrom(other: SupertrendBands): void {
    this.upper = other.upper;
    this.lower = other.lower;
    this.previousClose = other.previousClose;
    this.up = other.up;
    this.started = other.started;
  }

  /**
   * Feeds the next bar and its ATR (NaN before the ATR is defined) and writes `[value, direction]` into `into`:
   * the active final band and +1 (up-trend, lower band) or -1 (down-trend, upper band); NaN while the ATR is not.
   */
  next(high: number, low: number, close: number, atr: number, into: Float64Array): void {
    const previousClose = this.previousClose;
    this.previousClose = close;
    if (atr !== atr) {
      into[0] = NaN;
      into[1] = NaN;
      return;
    }
    const middle = (high + low) / 2;
    const offset = this.multiplier * atr;
    const basicUpper = middle + offset;
    const basicLower = middle - offset;
    if (!this.started) {
      // First bar with an ATR: both bands basic, trend down (TradingView's `ta.supertrend` starts with direction 1, down).
      this.started = true;
      this.upper = basicUpper;
      this.lower = basicLower;
      this.up = false;
    } else {
      // A band follows the price toward it but never away from it, unless the previous close crossed it.
      if (basicUpper < this.upper || previousClose > this.upper) this.upper = basicUpper;
      if (basicLower > this.lower || previousClose < this.lower) this.lower = basicLower;
      if (this.up) {
        if (close < this.lower) this.up = false;
      } else if (close > this.upper) {
        this.up = true;
      }
    }
    into[0] = this.up ? this.lower : this.upper;
    into[1] = this.up ? 1 : -1;
  }
}

/** Streaming SuperTrend: our `AtrStream` (TA-Lib's ATR) feeding `SupertrendBands`. */
class SupertrendStream implements IndicatorStream {
  private readonly output = new Float64Array(2);
  private readonly previewed = new Float64Array(2);
  private readonly range: AtrStream;
  private readonly bands: SupertrendBands;
  private readonly scratch: SupertrendBands;
  count = 0;

  constructor(settings: SupertrendSettings) {
    this.range = new AtrStream(settings.period);
    this.bands = new SupertrendBands(settings.multiplier);
    this.scratch = new SupertrendBands(settings.multiplier);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.bands.next(bar.high, bar.low, bar.close, this.range.update(bar)[0], this.output);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.scratch.copyFrom(this.bands);
    this.scratch.next(bar.high, bar.low, bar.close, this.range.preview(bar)[0], this.previewed);
    return this.previewed;
  }
}

/**
 * SuperTrend (Olivier Seban): a trailing band at a multiple of the ATR from the bar's midpoint, below the price in an
 * up-trend and above it in a down-trend.
 *
 * Parameters: `period` (ATR bars, default 10, [1, 100000]) and `multiplier` (default 3, [0.01, 100]). Inputs high,
 * low, close. Outputs `value` (the active final band, in the price's unit) and `direction` (+1 up-trend, -1
 * down-trend), defined from row `period`.
 *
 * Variant (TradingView's `ta.supertrend`, with our ATR): ATR = Wilder's ATR as TA-Lib's TA_ATR (true ranges from row 1,
 * seeded with their plain mean at row `period`; TradingView's `ta.atr` also counts bar 0's high - low and starts one
 * row earlier, so values differ until the seed has decayed); hl2 = (high + low) / 2; basic bands hl2 ± multiplier ·
 * ATR; final upper = basic upper if it is below the previous final upper or the previous close is above the previous
 * final upper, else the previous final upper (the lower band symmetrically); on the first row both final bands are
 * basic and the trend is down (as TradingView); then a down-trend turns up when the close is above the final upper
 * band, an up-trend turns down when the close is below the final lower band (equality keeps the trend). The value is
 * the final lower band in an up-trend, the final upper band in a down-trend. Unlike TradingView (`direction` -1 for
 * up), +1 means up here.
 *
 * Warm-up (an empirical bound, not a guarantee): the ATR's seed decays as for ATR (`decayWarmup(period, (period -
 * 1) / period, tolerance)`), but a final band held unchanged keeps the ATR of the bar it was last reset on, and two
 * runs whose bands differ slightly can flip on different bars when a close lands between them; they fall into step
 * again once both have reset their bands after their ATRs agree. No bar count guarantees that, so the warm-up is
 * the ATR's plus `holdAllowance(period)` = 100 + 4 · period bars, the time a band may be held. Measured on the four
 * test series (BTCUSDT 1h and 1m, EURUSD 1h, SPY 1d) from 400 start rows each: the last row differing beyond 1e-9
 * was at most 209 bars after the start for the defaults (warm-up 391 at 1e-9), 109 for 7 / 0.5 (warm-up 300),
 * 592 for 30 / 5 (warm-up 998), 1,787 for 100 / 3 (warm-up 3,121) and 18 for 1 / 1 (warm-up 105); the longest hold
 * of the active band was 62 bars for the defaults and 118 for 30 / 5. On five other series (ETHUSDT 1h and 1m,
 * SOLUSDT 1m, BTCUSDT 1m 2021, EURUSD 1d; 200 starts each) the defaults needed at most 185 bars, 30 / 5 at most
 * 573. +Infinity (as OBV) was rejected: a later start stops mattering on real data (the shared warm-up test checks
 * that an infinite warm-up is needed, and it is not), and an infinite warm-up would make every query load the whole
 * stored history.
 */
export const supertrend: IndicatorDefinition = defineIndicator({
  id: "supertrend",
  name: "SuperTrend",
  description:
    "Trend-following stop: a band a multiple of the average true range below the price in an up-trend (above it in a down-trend) that only moves with the trend; a close beyond it flips the trend. `direction` is +1 in an up-trend, -1 in a down-trend.",
  source: "Olivier Seban; the band rules of TradingView's ta.supertrend, with Wilder's ATR as TA-Lib's TA_ATR. TA-Lib has no SuperTrend function.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [
    periodParameter("period", "Number of bars of the average true range.", 10, 1),
    multipleParameter("multiplier", "Band distance from the bar's midpoint (high + low) / 2, in ATRs.", 3),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [
    { name: "value", description: "The active final band (lower in an up-trend, upper in a down-trend), in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "direction", description: "+1 in an up-trend (the price above the band), -1 in a down-trend.", scale: ToleranceScale.VALUE },
  ],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "Olivier Seban's SuperTrend with the band rules TradingView documents for `ta.supertrend` (Pine Script v5/v6 reference, " +
      "whose listed equivalent code computes hl2 ± factor · ATR, keeps the previous final band unless the basic band moved toward " +
      "the price or the previous close crossed it, starts with direction down on the first ATR bar and flips when the close " +
      "crosses the final band), with the ATR seeded as TA-Lib's TA_ATR (plain mean of the true ranges of rows 1..period at row " +
      "`period`, then Wilder's smoothing). Values below computed with exact fractions (Python's fractions.Fraction) by a separate " +
      "throw-away script written from that definition, independently of this module, and printed as the nearest doubles.",
    cases: [
      {
        parameters: { period: 3, multiplier: 1 },
        bars: WORKED_BARS,
        expected: {
          value: [
            null, null, null, 11.85, 11.85, 11.85, 11.85, 11.414814814814815, 10.926543209876543, 10.701028806584363, 9.449314128943758,
            10.299542752629172, 10.949695168419447, 10.949695168419447, 11.927913258480245, 11.235275505653497, 10.573517003768998,
          ],
          direction: [null, null, null, -1, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1],
        },
      },
      {
        parameters: { period: 4, multiplier: 0.5 },
        bars: WORKED_BARS,
        expected: {
          value: [
            null, null, null, null, 11.9, 11.9, 11.60625, 10.8921875, 10.431640625, 10.22373046875, 9.9572021484375, 10.805401611328126,
            11.391551208496093, 11.391551208496093, 11.495377445220948, 10.79653308391571, 10.172399812936783,
          ],
          direction: [null, null, null, null, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1],
        },
      },
      {
        parameters: { period: 1, multiplier: 2 },
        bars: WORKED_BARS,
        expected: {
          value: [null, 11.9, 11.9, 11.9, 11.9, 11.9, 11.9, 11.9, 11.75, 11.55, 11.55, 9.3, 10.45, 10.45, 10.45, 12.15, 11.15],
          direction: [null, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1],
        },
      },
    ],
  },
  testCases: [{}, { period: 1, multiplier: 1 }, { period: 7, multiplier: 0.5 }, { period: 30, multiplier: 5 }],
  read: settingsOf,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance) + holdAllowance(period),
  writeBatch(settings, columns, [value, direction]) {
    const stream = new SupertrendStream(settings);
    const bar = { openTime: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
    for (let i = 0; i < columns.length; i++) {
      bar.high = columns.high[i];
      bar.low = columns.low[i];
      bar.close = columns.close[i];
      const [v, d] = stream.update(bar);
      value[i] = v;
      direction[i] = d;
    }
  },
  createStream: (settings) => new SupertrendStream(settings),
});
