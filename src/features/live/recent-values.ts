/** The last values of a set of features, newest last, as `RecentValues.last` returns them. */
export interface RecentWindow {
  /** Open times (epoch ms) of the bars, oldest first. */
  readonly openTimes: readonly number[];
  /** Per feature (definition order), one value per open time; NaN where undefined. */
  readonly values: readonly Float64Array[];
}

/**
 * The values of the last `capacity` closed bars of a set of features on one series, in a ring (O(1) per bar,
 * `capacity` × features numbers of memory), for `latestFeatures(window: N)`.
 */
export class RecentValues {
  private readonly openTimes: Float64Array;
  private readonly columns: Float64Array[];
  private next = 0;
  private size = 0;

  constructor(
    private readonly capacity: number,
    features: number,
  ) {
    this.openTimes = new Float64Array(capacity);
    this.columns = Array.from({ length: features }, () => new Float64Array(capacity));
  }

  /** Records the values (`values[k]` for feature k) of the bar opening at `openTime`, after every earlier one. */
  push(openTime: number, values: Float64Array): void {
    this.openTimes[this.next] = openTime;
    for (let feature = 0; feature < this.columns.length; feature++) this.columns[feature][this.next] = values[feature];
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The newest `count` bars' values (fewer when fewer are held), oldest first. */
  last(count: number): RecentWindow {
    const taken = Math.min(count, this.size);
    const rows = Array.from({ length: taken }, (_, index) => (this.next - taken + index + this.capacity) % this.capacity);
    return {
      openTimes: rows.map((row) => this.openTimes[row]),
      values: this.columns.map((column) => Float64Array.from(rows, (row) => column[row])),
    };
  }
}
