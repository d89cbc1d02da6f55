/**
 * The last `capacity` values fed, kept contiguous in one Float64Array (twice the capacity, compacted when the end is
 * reached: amortized O(1) per value), so a statistic can read the window as `values[start .. end)` exactly as the
 * batch form reads a column. The streaming forms of window statistics share it with their batch kernels that way.
 */
export class ContiguousWindow {
  /** Storage; the window is `values[start .. end)`. */
  values: Float64Array;
  /** Index of the oldest value kept. */
  start = 0;
  /** One past the newest value. */
  end = 0;

  /** @param capacity number of values kept, >= 1 */
  constructor(readonly capacity: number) {
    this.values = new Float64Array(2 * capacity);
  }

  /** Number of values in the window (at most `capacity`). */
  get size(): number {
    return this.end - this.start;
  }

  /** Appends `x`, dropping the oldest value when the window is full. */
  push(x: number): void {
    this.makeRoom();
    this.values[this.end++] = x;
    if (this.end - this.start > this.capacity) this.start++;
  }

  /**
   * Writes `x` just past the newest value without adding it, for a preview: afterwards `values[start' .. end + 1)`
   * is the window `push(x)` would give, with start' = start + 1 when the window is full. The logical content is
   * unchanged (a later `push` overwrites the slot).
   */
  stage(x: number): void {
    this.makeRoom();
    this.values[this.end] = x;
  }

  /** Moves the window to the front when no slot is left after it (the layout changes, the content does not). */
  private makeRoom(): void {
    if (this.end < this.values.length) return;
    this.values.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
  }
}
