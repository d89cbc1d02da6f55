/**
 * Fixed-capacity ring of the most recent numbers, for the streaming form of windowed indicators.
 * O(1) push and lookup, no allocation after construction. Unfilled slots read as 0.
 */
export class RingBuffer {
  private readonly values: Float64Array;
  private head = 0;

  /** @param capacity number of values kept, >= 1 */
  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  /** Stores `x` as the newest value, dropping the oldest when full. */
  push(x: number): void {
    this.values[this.head] = x;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
  }

  /**
   * Stores `x` as the newest value (dropping the oldest when full) and returns the oldest value kept after
   * that: the one pushed `capacity - 1` pushes before `x` (0 while fewer were pushed; `x` itself when the
   * capacity is 1). Same as `push(x)` then `ago(capacity - 1)`, with one index computation.
   */
  pushAndOldest(x: number): number {
    const values = this.values;
    values[this.head] = x;
    const oldest = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.head = oldest;
    return values[oldest];
  }

  /**
   * The value pushed `k` pushes ago: 0 is the newest, capacity - 1 the oldest kept.
   * @param k 0 <= k < capacity (not checked)
   */
  ago(k: number): number {
    const index = this.head - 1 - k;
    return this.values[index < 0 ? index + this.capacity : index];
  }
}
