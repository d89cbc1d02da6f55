import { RingBuffer } from "./ring-buffer";

/**
 * TA-Lib's simple moving average (INT_SMA): a running sum that adds the newest value, divides, then
 * subtracts the value leaving the window. Shared by SMA and the smoothing steps of STOCH. The batch
 * and stream forms below do the same additions in the same order, so they agree bit for bit.
 */

/**
 * Batch SMA of `input[start .. length)`, written into `out[start + period - 1 .. length)` (other rows
 * untouched).
 * @param input values, oldest first; rows before `start` are ignored
 * @param length number of rows to process (<= input.length and <= out.length)
 * @param start first row of the input that enters the average
 * @param period window length in bars, >= 1
 * @param out destination (may not alias `input`)
 */
export function smaColumn(input: Float64Array, length: number, start: number, period: number, out: Float64Array): void {
  const lag = period - 1;
  const first = start + lag;
  let sum = 0;
  for (let i = start; i < first && i < length; i++) sum += input[i];
  for (let i = first; i < length; i++) {
    const total = sum + input[i];
    sum = total - input[i - lag];
    out[i] = total / period;
  }
}

/** Streaming SMA: O(period) memory, one value at a time; same arithmetic as `smaColumn`. */
export class SmaState {
  private readonly window: RingBuffer;
  private sum = 0;
  private count = 0;

  /** @param period window length in bars, >= 1 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
  }

  /**
   * Feeds the next value.
   * @returns the average of the last `period` values, NaN for the first `period - 1` calls
   */
  next(x: number): number {
    // The oldest value of the window that ends with x (smaColumn's input[i - lag]).
    const oldest = this.window.pushAndOldest(x);
    const total = this.sum + x;
    if (++this.count < this.period) {
      this.sum = total;
      return NaN;
    }
    this.sum = total - oldest;
    return total / this.period;
  }

  /** What `next(x)` would return now, without changing the state. */
  peek(x: number): number {
    return this.count + 1 < this.period ? NaN : (this.sum + x) / this.period;
  }
}
