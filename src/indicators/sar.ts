import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { realParameter } from "./parameters";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/**
 * Fewest bars of warm-up, whatever the acceleration: runs from different starts fall into step at a common
 * reversal, which takes a few bars even when the factor is large (at most 8 bars observed for 1 / 1, see `sar`).
 */
const SAR_MINIMUM_WARMUP = 50;

/** Parabolic SAR's settings, with TA-Lib's correction applied: `acceleration` never exceeds `maximum`. */
interface SarSettings {
  /** Acceleration factor at the start of a trend and its step per new extreme point, in (0, maximum]. */
  readonly acceleration: number;
  /** Largest acceleration factor. */
  readonly maximum: number;
}

/**
 * Reads the parameters; an acceleration above the maximum is lowered to the maximum, as TA-Lib does
 * (TA_SAR overrides optInAcceleration with optInMaximum then) rather than rejecting it.
 */
function settingsOf(parameters: IndicatorParameters): SarSettings {
  const acceleration = realParameter(parameters, "acceleration");
  const maximum = realParameter(parameters, "maximum");
  return { acceleration: acceleration > maximum ? maximum : acceleration, maximum };
}

/**
 * TA-Lib's initial direction (TA_SAR runs TA_MINUS_DM with period 1 on the first two bars): short when the
 * one-bar minus directional movement of bar 1 is positive, i.e. the low fell (down-move = low0 - low1 > 0) by more
 * than the high rose (up-move = high1 - high0 < down-move); long otherwise (also when a price is NaN).
 */
function startsLong(high0: number, low0: number, high1: number, low1: number): boolean {
  const upMove = high1 - high0;
  const downMove = low0 - low1;
  return !(downMove > 0 && upMove < downMove);
}

/**
 * The state of Parabolic SAR between bars, stepped in TA-Lib's TA_SAR order (comparisons, clamps and the update
 * `sar + af · (ep - sar)` as there), so that batch and stream reproduce TA-Lib bit for bit. Prices in quote currency.
 * `copyFrom` onto a scratch instance gives previews without touching the state.
 */
class SarState {
  /** Bars fed so far. */
  count = 0;
  /** In an up-trend (the SAR below the price)? */
  private isLong = true;
  /** SAR for the next bar (already clamped to the last two bars' range). */
  private sar = NaN;
  /** Extreme point of the current trend: highest high of an up-trend, lowest low of a down-trend. */
  private extreme = NaN;
  /** Current acceleration factor. */
  private factor = 0;
  /** High and low of the last bar fed. */
  private lastHigh = NaN;
  private lastLow = NaN;

  constructor(private readonly settings: SarSettings) {}

  /** Makes this state equal to `other` (same settings). */
  copyFrom(other: SarState): void {
    this.count = other.count;
    this.isLong = other.isLong;
    this.sar = other.sar;
    this.extreme = other.extreme;
    this.factor = other.factor;
    this.lastHigh = other.lastHigh;
    this.lastLow = other.lastLow;
  }

  /**
   * Feeds the next bar.
   * @returns the SAR of this bar (price units): NaN for the first bar, else the SAR computed on the previous bar
   *   or, when this bar's range penetrates it, the reversal SAR (the previous trend's extreme point clamped to the
   *   range of this bar and the previous one)
   */
  next(high: number, low: number): number {
    const row = this.count++;
    if (row === 0) {
      this.lastHigh = high;
      this.lastLow = low;
      return NaN;
    }
    if (row === 1) {
      // TA-Lib's seed: the SAR starts at bar 0's low (long) or high (short), the extreme point at bar 1's high or
      // low, and bar 1 is its own "previous bar" for the clamps of the first step.
      this.isLong = startsLong(this.lastHigh, this.lastLow, high, low);
      this.factor = this.settings.acceleration;
      if (this.isLong) {
        this.extreme = high;
        this.sar = this.lastLow;
      } else {
        this.extreme = low;
        this.sar = this.lastHigh;
      }
      this.lastHigh = high;
      this.lastLow = low;
    }
    const value = this.step(this.lastHigh, this.lastLow, high, low);
    this.lastHigh = high;
    this.lastLow = low;
    return value;
  }

  /** One iteration of TA-Lib's loop: returns the SAR written for this bar and prepares the next one. */
  private step(previousHigh: number, previousLow: number, high: number, low: number): number {
    const { acceleration, maximum } = this.settings;
    let sar = this.sar;
    let output: number;
    if (this.isLong) {
      if (low <= sar) {
        // Reversal to short: the SAR jumps to the up-trend's extreme point, at least this and the previous bar's high.
        this.isLong = false;
        sar = this.extreme;
        if (sar < previousHigh) sar = previousHigh;
        if (sar < high) sar = high;
        output = sar;
        this.factor = acceleration;
        this.extreme = low;
        sar = sar + this.factor * (this.extreme - sar);
        if (sar < previousHigh) sar = previousHigh;
        if (sar < high) sar = high;
      } else {
        output = sar;
        if (high > this.extreme) {
          this.extreme = high;
          this.factor += acceleration;
          if (this.factor > maximum) this.factor = maximum;
        }
        sar = sar + this.factor * (this.extreme - sar);
        if (sar > previousLow) sar = previousLow;
        if (sar > low) sar = low;
      }
    } else if (high >= sar) {
      // Reversal to long: the SAR jumps to the down-trend's extreme point, at most this and the previous bar's low.
      this.isLong = true;
      sar = this.extreme;
      if (sar > previousLow) sar = previousLow;
      if (sar > low) sar = low;
      output = sar;
      this.factor = acceleration;
      this.extreme = high;
      sar = sar + this.factor * (this.extreme - sar);
      if (sar > previousLow) sar = previousLow;
      if (sar > low) sar = low;
    } else {
      output = sar;
      if (low < this.extreme) {
        this.extreme = low;
        this.factor += acceleration;
        if (this.factor > maximum) this.factor = maximum;
      }
      sar = sar + this.factor * (this.extreme - sar);
      if (sar < previousHigh) sar = previousHigh;
      if (sar < high) sar = high;
    }
    this.sar = sar;
    return output;
  }
}

/** Streaming Parabolic SAR over one `SarState` (and a scratch copy for previews). */
class SarStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly state: SarState;
  private readonly scratch: SarState;

  constructor(settings: SarSettings) {
    this.state = new SarState(settings);
    this.scratch = new SarState(settings);
  }

  get count(): number {
    return this.state.count;
  }

  update(bar: StreamInput): Float64Array {
    this.output[0] = this.state.next(bar.high, bar.low);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.scratch.copyFrom(this.state);
    this.previewed[0] = this.scratch.next(bar.high, bar.low);
    return this.previewed;
  }
}

/**
 * Parabolic SAR (Wilder's stop and reverse), exactly TA-Lib's TA_SAR.
 *
 * Parameters: `acceleration` (default 0.02, [0.001, 1]; TA-Lib's optInAcceleration) and `maximum` (default 0.2,
 * [0.001, 1]; optInMaximum). An acceleration above the maximum is lowered to the maximum, as TA-Lib does. Inputs
 * high and low; output `value` in the price's unit, defined from row 1 (lookback 1).
 *
 * Algorithm (TA-Lib's): the first direction is short when bar 1's one-bar minus DM is positive (the low fell more
 * than the high rose), else long; the first SAR is bar 0's low (long) or high (short), the extreme point bar 1's high
 * or low. Each bar: if its low (long) / high (short) reaches the SAR, the trend reverses and the bar's SAR is the old
 * extreme point, clamped to beyond this and the previous bar's range; the factor restarts at `acceleration` and the
 * extreme point is this bar's low / high. Otherwise the bar's SAR is the one computed on the previous bar, and a new
 * extreme point raises the factor by `acceleration` up to `maximum`. The next SAR is `sar + af · (ep - sar)`, clamped
 * so as not to enter this or the previous bar's range.
 *
 * Warm-up (an empirical bound, not a guarantee): the value depends on the whole history through the trend state
 * (direction, extreme point, factor, SAR). Two runs started at different rows agree exactly from the first reversal
 * they take on the same bar with the same extreme point (every part of the state coincides then), and while in the
 * same trend with the same extreme point and factor their SARs close in by a factor (1 - af) <= (1 - acceleration)
 * per bar (the clamps only shrink the gap). No bar count guarantees that the runs fall into step (nothing in the
 * rules forces a common reversal with the same extreme point), but on real prices they do within a few reversals,
 * after a number of bars roughly proportional to 1 / acceleration: on the four test series (BTCUSDT 1h and 1m,
 * EURUSD 1h, SPY 1d), from 400 start rows each, the last row still differing beyond 1e-9 was at most 179 bars after
 * the start for the defaults (0.02 / 0.2), 433 for 0.01 / 0.1, 67 for 0.05 / 0.5, 23 for 0.2 / 0.2, 2,532 for
 * 0.001 / 0.01 and 8 for 1 / 1 (and at most 147 for the defaults on ETHUSDT 1h and 1m, SOLUSDT 1m, BTCUSDT 1m 2021
 * and EURUSD 1d, 200 starts each). The warm-up is the geometric bound of that contraction, `decayWarmup(1, 1 - acceleration, tolerance)`
 * (1,255 bars at 1e-9 for the defaults, about 25 / acceleration), and at least SAR_MINIMUM_WARMUP bars (for large
 * accelerations, where the contraction is fast but the runs still need a reversal or two): 5 to 10 times the worst
 * observed. +Infinity (as OBV) was rejected: unlike OBV's level, a later start stops mattering on real data (the
 * shared warm-up test checks that an infinite warm-up is needed, and it is not), and an infinite warm-up would make
 * every query load the whole stored history.
 */
export const sar: IndicatorDefinition = defineIndicator({
  id: "sar",
  name: "Parabolic SAR",
  description:
    "Trend-following stop: a level below the price in an up-trend (above it in a down-trend) that accelerates toward the price as the trend makes new extremes; the price crossing it reverses the trend. Used as a trailing stop and trend filter.",
  source: "Wilder 1978 (New Concepts in Technical Trading Systems); matches TA-Lib TA_SAR, including its initial direction from the first two bars' minus DM.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [
    {
      name: "acceleration",
      description: "Acceleration factor at the start of each trend and its increase per new extreme point (lowered to `maximum` when above it).",
      defaultValue: 0.02,
      minimum: 0.001,
      maximum: 1,
      integer: false,
    },
    { name: "maximum", description: "Largest acceleration factor.", defaultValue: 0.2, minimum: 0.001, maximum: 1, integer: false },
  ],
  inputs: [PriceField.HIGH, PriceField.LOW],
  outputs: [{ name: "value", description: "Stop-and-reverse level, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "SAR",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW },
    options: { optInAcceleration: "acceleration", optInMaximum: "maximum" },
    outputs: ["outReal"],
  },
  testCases: [{}, { acceleration: 0.01, maximum: 0.1 }, { acceleration: 0.05, maximum: 0.5 }, { acceleration: 0.3, maximum: 0.2 }, { acceleration: 1, maximum: 1 }],
  read: settingsOf,
  lookback: () => 1,
  warmup: ({ acceleration }, tolerance) => Math.max(SAR_MINIMUM_WARMUP, decayWarmup(1, 1 - acceleration, tolerance)),
  writeBatch(settings, columns, [value]) {
    const state = new SarState(settings);
    const { high, low } = columns;
    for (let i = 0; i < columns.length; i++) value[i] = state.next(high[i], low[i]);
  },
  createStream: (settings) => new SarStream(settings),
});
