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
   * The value pushed `k` pushes ago: 0 is the newest, capacity - 1 the oldest kept.
   * @param k 0 <= k < capacity (not checked)
   */
  ago(k: number): number {
    const index = this.head - 1 - k;
    return this.values[index < 0 ? index + this.capacity : index];
  }
}
