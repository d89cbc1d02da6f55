import { trueRange } from "./true-range";

/** TA-Lib's TA_IS_ZERO threshold. */
const EPSILON = 1e-14;

function isZero(value: number): boolean {
  return -EPSILON < value && value < EPSILON;
}

/**
 * Wilder's directional movement system one bar at a time, in TA-Lib's order (TA_PLUS_DM, TA_MINUS_DM, TA_PLUS_DI,
 * TA_MINUS_DI, TA_DX, TA_ADX share it):
 * - per bar, up-move = high - previous high, down-move = previous low - low; +DM1 = up-move when it is positive and
 *   larger than the down-move, -DM1 = down-move when it is positive and larger than the up-move, else 0; TR1 the true
 *   range;
 * - rows 1 .. period - 1: +DM, -DM and TR are plain sums; from row `period` on, Wilder's step
 *   `previous - previous / period + today's`;
 * - from row `period`: +DI = 100 · +DM / TR, -DI likewise (0 when TR is zero), DX = 100 · |-DI - +DI| / (-DI + +DI)
 *   (on its first row 0 when undefined, later the previous DX);
 * - rows period .. 2·period - 1 sum the defined DX; ADX starts at row 2·period - 1 as their sum / period, then
 *   `(ADX · (period - 1) + DX) / period` on rows whose DX is defined.
 * `copyFrom` and a scratch instance give previews without touching the state.
 */
export class DirectionalMovement {
  private previousHigh = NaN;
  private previousLow = NaN;
  private previousClose = NaN;
  /** Smoothed +DM after the last bar, in price units (defined from row period - 1). */
  plusMovement = 0;
  /** Smoothed -DM after the last bar, in price units (defined from row period - 1). */
  minusMovement = 0;
  /** Smoothed true range after the last bar (defined from row period - 1). */
  range = 0;
  /** DX of the last bar, NaN before row `period`. */
  directionalIndex = NaN;
  /** ADX of the last bar, NaN before row 2·period - 1. */
  averageDirectionalIndex = NaN;
  private directionalIndexSum = 0;
  /** Bars fed so far. */
  count = 0;

  /** @param period Wilder's period in bars, >= 2 */
  constructor(private readonly period: number) {}

  /** +DI of the last bar: 100 · +DM / TR, 0 when TR is zero. Meaningful from row `period`. */
  plusIndicator(): number {
    return isZero(this.range) ? 0 : 100 * (this.plusMovement / this.range);
  }

  /** -DI of the last bar: 100 · -DM / TR, 0 when TR is zero. Meaningful from row `period`. */
  minusIndicator(): number {
    return isZero(this.range) ? 0 : 100 * (this.minusMovement / this.range);
  }

  /** Makes this state equal to `other` (same period). */
  copyFrom(other: DirectionalMovement): void {
    this.previousHigh = other.previousHigh;
    this.previousLow = other.previousLow;
    this.previousClose = other.previousClose;
    this.plusMovement = other.plusMovement;
    this.minusMovement = other.minusMovement;
    this.range = other.range;
    this.directionalIndex = other.directionalIndex;
    this.averageDirectionalIndex = other.averageDirectionalIndex;
    this.directionalIndexSum = other.directionalIndexSum;
    this.count = other.count;
  }

  /** Feeds the next bar. */
  next(high: number, low: number, close: number): void {
    const row = this.count++;
    const previousClose = this.previousClose;
    const upMove = high - this.previousHigh;
    const downMove = this.previousLow - low;
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    if (row === 0) return;
    const period = this.period;
    const barRange = trueRange(high, low, previousClose);
    if (row < period) {
      if (downMove > 0 && upMove < downMove) this.minusMovement += downMove;
      else if (upMove > 0 && upMove > downMove) this.plusMovement += upMove;
      this.range += barRange;
      return;
    }
    let minus = this.minusMovement - this.minusMovement / period;
    let plus = this.plusMovement - this.plusMovement / period;
    if (downMove > 0 && upMove < downMove) minus += downMove;
    else if (upMove > 0 && upMove > downMove) plus += upMove;
    this.minusMovement = minus;
    this.plusMovement = plus;
    this.range = this.range - this.range / period + barRange;
    this.advanceDirectionalIndex(row);
  }

  /** DX from the new DI, then ADX: summed over rows period .. 2·period - 1, Wilder-smoothed after. */
  private advanceDirectionalIndex(row: number): void {
    const period = this.period;
    let defined = false;
    if (!isZero(this.range)) {
      const minusIndicator = 100 * (this.minusMovement / this.range);
      const plusIndicator = 100 * (this.plusMovement / this.range);
      const sum = minusIndicator + plusIndicator;
      if (!isZero(sum)) {
        this.directionalIndex = 100 * (Math.abs(minusIndicator - plusIndicator) / sum);
        defined = true;
      }
    }
    if (!defined && row === period) this.directionalIndex = 0;
    if (row < 2 * period) {
      if (defined) this.directionalIndexSum += this.directionalIndex;
      if (row === 2 * period - 1) this.averageDirectionalIndex = this.directionalIndexSum / period;
    } else if (defined) {
      this.averageDirectionalIndex = (this.averageDirectionalIndex * (period - 1) + this.directionalIndex) / period;
    }
  }
}
