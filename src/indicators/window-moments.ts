import { RingBuffer } from "./ring-buffer";

/** TA-Lib's TA_IS_ZERO_OR_NEG threshold: smaller variances give a zero deviation. */
const EPSILON = 1e-14;

/**
 * Population standard deviation from a window's mean of squares and mean, as TA-Lib's INT_VAR and
 * INT_stddev_using_precalc_ma: sqrt(E[x^2] - mean^2), 0 below 1e-14.
 */
export function standardDeviationOf(meanOfSquares: number, mean: number): number {
  const variance = meanOfSquares - mean * mean;
  return variance < EPSILON ? 0 : Math.sqrt(variance);
}

/**
 * Mean and mean of squares of the last `period` values, in the order of TA-Lib's running sums (TA_SMA, INT_VAR,
 * TA_BBANDS): add the newest value (and its square), divide, then subtract the leaving one. The sums drift with the
 * length of history, as TA-Lib's do. Streaming forms (and the batch forms that need no fused loop) share it.
 */
export class WindowMoments {
  private readonly window: RingBuffer;
  private sum = 0;
  private sumOfSquares = 0;
  private count = 0;
  /** Mean of the window after the last `push` that filled it. */
  mean = NaN;
  /** Mean of the squares of the window after the last `push` that filled it. */
  meanOfSquares = NaN;
  /** Mean of the window the last `peek` looked at. */
  peekedMean = NaN;
  /** Mean of the squares of the window the last `peek` looked at. */
  peekedMeanOfSquares = NaN;

  /** @param period window length in values, >= 1 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
  }

  /** Feeds `x`; returns whether the window is full (then `mean` and `meanOfSquares` are its moments). */
  push(x: number): boolean {
    this.window.push(x);
    if (++this.count < this.period) {
      this.sum += x;
      this.sumOfSquares += x * x;
      return false;
    }
    const leaving = this.window.ago(this.period - 1);
    const total = this.sum + x;
    this.sum = total - leaving;
    this.mean = total / this.period;
    this.sumOfSquares += x * x;
    this.meanOfSquares = this.sumOfSquares / this.period;
    this.sumOfSquares -= leaving * leaving;
    return true;
  }

  /** What `push(x)` would return, with `peekedMean` and `peekedMeanOfSquares` set as it would set its moments. */
  peek(x: number): boolean {
    if (this.count + 1 < this.period) return false;
    this.peekedMean = (this.sum + x) / this.period;
    this.peekedMeanOfSquares = (this.sumOfSquares + x * x) / this.period;
    return true;
  }
}
