/**
 * Maximum of the last `period` values fed, in amortized O(1) per value and O(period) memory: a monotonic
 * deque of the values that can still become the maximum, with their rows, oldest (and largest) first, in a
 * ring of `period` slots. A new value removes from the back every kept value not greater than it
 * (`!(kept > x)`: equal maxima keep the newest, and a NaN never outlives the next value), then joins; the
 * oldest leaves once its row falls out of the window. Fed negated values it gives the minimum, negated
 * (negation is exact, so the minimum's bits come back unchanged).
 *
 * Streaming forms run this class; batch forms run `rollingExtremeColumn`, which chooses the same element (value and
 * row) bit for bit, as the stream = batch tests check.
 */
export class SlidingMaximum {
  private readonly values: Float64Array;
  private readonly rows: Float64Array;
  /** Slot of the oldest kept value. */
  private head = 0;
  private size = 0;
  /** Row of the last value fed (0 for the first). */
  private row = -1;

  /** @param period window length in values, >= 1 */
  constructor(private readonly period: number) {
    this.values = new Float64Array(period);
    this.rows = new Float64Array(period);
  }

  /**
   * Feeds the next value.
   * @returns the maximum of the last `period` values including `x` (of all values while fewer were fed)
   */
  next(x: number): number {
    const row = ++this.row;
    const period = this.period;
    const values = this.values;
    const rows = this.rows;
    let head = this.head;
    let size = this.size;
    if (size > 0 && rows[head] <= row - period) {
      head = head + 1 === period ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      const back = head + size - 1;
      if (values[back < period ? back : back - period] > x) break;
      size--;
    }
    const tail = head + size;
    const slot = tail < period ? tail : tail - period;
    values[slot] = x;
    rows[slot] = row;
    this.head = head;
    this.size = size + 1;
    return values[head];
  }

  /** Row (0 for the first value fed) of the maximum the last `next` returned: the newest among equal maxima. */
  get maximumRow(): number {
    return this.rows[this.head];
  }

  /** The row of the maximum `next(x)` would return now (the row x would get when it is the maximum). */
  peekRow(x: number): number {
    let head = this.head;
    let size = this.size;
    if (size > 0 && this.rows[head] <= this.row + 1 - this.period) {
      head = head + 1 === this.period ? 0 : head + 1;
      size--;
    }
    return size > 0 && this.values[head] > x ? this.rows[head] : this.row + 1;
  }

  /**
   * What `next(x)` would return now, without changing the state. The kept values decrease strictly from
   * the oldest, so `x` removes all of them exactly when it removes the oldest still in the window.
   */
  peek(x: number): number {
    let head = this.head;
    let size = this.size;
    if (size > 0 && this.rows[head] <= this.row + 1 - this.period) {
      head = head + 1 === this.period ? 0 : head + 1;
      size--;
    }
    const oldest = this.values[head];
    return size > 0 && oldest > x ? oldest : x;
  }
}
