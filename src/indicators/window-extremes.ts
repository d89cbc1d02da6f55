import { SlidingMaximum } from "./sliding-maximum";

/**
 * Highest and lowest value of the last `period` bars of two inputs (a bar's high and low, or one input twice), one
 * bar at a time: two SlidingMaximum deques, the lows negated (negation is exact). The streaming forms run it (and
 * Ichimoku's batch form); the other batch forms run `rollingExtremeColumn`, which picks the same extremes bit for bit.
 */
export class WindowExtremes {
  private readonly highs: SlidingMaximum;
  private readonly negatedLows: SlidingMaximum;
  /** Highest of the window after the last `next`. */
  highest = NaN;
  /** Lowest of the window after the last `next`. */
  lowest = NaN;
  /** Highest of the window the last `peek` looked at. */
  peekedHighest = NaN;
  /** Lowest of the window the last `peek` looked at. */
  peekedLowest = NaN;

  /** @param period window length in bars, >= 1 */
  constructor(period: number) {
    this.highs = new SlidingMaximum(period);
    this.negatedLows = new SlidingMaximum(period);
  }

  /** Feeds the next bar's values; `highest` and `lowest` become those of the window ending with it. */
  next(high: number, low: number): void {
    this.highest = this.highs.next(high);
    this.lowest = -this.negatedLows.next(-low);
  }

  /** Sets `peekedHighest` and `peekedLowest` to what `next(high, low)` would give, without feeding the bar. */
  peek(high: number, low: number): void {
    this.peekedHighest = this.highs.peek(high);
    this.peekedLowest = -this.negatedLows.peek(-low);
  }
}
