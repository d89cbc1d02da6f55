import { emaNext } from "./smoothing";

/**
 * TA-Lib's exponential moving average (INT_EMA, default compatibility): seeded with the simple
 * average of its first `period` inputs, then `emaNext` with factor k. Shared by EMA and MACD.
 */

/**
 * Batch EMA of `input[start .. length)`: the seed (mean of `input[start .. start+period-1]`) is written at
 * row `start + period - 1`, each later row up to `length - 1` gets the next step; other rows are untouched.
 * @param input values, oldest first
 * @param length number of rows to process (<= input.length and <= out.length)
 * @param start first row entering the seed
 * @param period seed length in bars, >= 1
 * @param k smoothing factor (usually emaFactor(period))
 * @param out destination
 */
export function emaColumn(input: Float64Array, length: number, start: number, period: number, k: number, out: Float64Array): void {
  const seedRow = start + period - 1;
  if (seedRow >= length) return;
  let sum = 0;
  for (let i = start; i <= seedRow; i++) sum += input[i];
  let value = sum / period;
  out[seedRow] = value;
  for (let i = seedRow + 1; i < length; i++) {
    value = emaNext(value, input[i], k);
    out[i] = value;
  }
}

/** Streaming EMA; same arithmetic as `emaColumn`. */
export class EmaState {
  private count = 0;
  private sum = 0;
  private value = NaN;

  /**
   * @param period seed length in bars, >= 1
   * @param k smoothing factor (usually emaFactor(period))
   */
  constructor(
    private readonly period: number,
    private readonly k: number,
  ) {}

  /**
   * Feeds the next value.
   * @returns the EMA including `x`, NaN for the first `period - 1` calls
   */
  next(x: number): number {
    const count = ++this.count;
    if (count > this.period) return (this.value = emaNext(this.value, x, this.k));
    this.sum += x;
    if (count < this.period) return NaN;
    return (this.value = this.sum / this.period);
  }

  /** What `next(x)` would return now, without changing the state. */
  peek(x: number): number {
    const count = this.count + 1;
    if (count > this.period) return emaNext(this.value, x, this.k);
    return count < this.period ? NaN : (this.sum + x) / this.period;
  }
}
