import { ALL_TIMEFRAMES, isOnGrid, timeframeDurationMs, timeframeLabel, type Timeframe } from "./timeframe";

/** Fewest rows the check judges: one or two rows say nothing about their spacing. */
const MIN_ROWS = 3;

/**
 * Whether the open times of a file fit the timeframe it is imported as. Hourly rows imported as 1m are valid 1m bars
 * one by one (every hour is on the 1m grid) but would overwrite real 1m bars with hourly ones; they give themselves
 * away because every open time also falls on a coarser grid and consecutive rows are at least that coarser bar apart.
 * Observe each row's open time (in file order), then ask `mismatch()`.
 */
export class TimeframeFit {
  private readonly coarser: Timeframe[];
  private readonly allOnGrid: boolean[];
  private rows = 0;
  private previous = Number.NaN;
  private smallestSpacing = Number.POSITIVE_INFINITY;

  constructor(private readonly timeframe: Timeframe) {
    this.coarser = ALL_TIMEFRAMES.filter((candidate) => timeframeDurationMs(candidate) > timeframeDurationMs(timeframe));
    this.allOnGrid = this.coarser.map(() => true);
  }

  /** Records one row's open time (epoch ms, on the timeframe's grid). */
  observe(openTime: number): void {
    this.rows++;
    for (let index = 0; index < this.coarser.length; index++) {
      if (this.allOnGrid[index] && !isOnGrid(openTime, this.coarser[index])) this.allOnGrid[index] = false;
    }
    const spacing = Math.abs(openTime - this.previous);
    if (spacing > 0 && spacing < this.smallestSpacing) this.smallestSpacing = spacing;
    this.previous = openTime;
  }

  /**
   * Undefined when the rows fit; else why not, in words that say what to do: the coarsest timeframe whose grid holds
   * every row while no two consecutive rows are closer than one of its bars.
   */
  mismatch(): string | undefined {
    if (this.rows < MIN_ROWS) return undefined;
    for (let index = this.coarser.length - 1; index >= 0; index--) {
      const candidate = this.coarser[index];
      if (this.allOnGrid[index] && this.smallestSpacing >= timeframeDurationMs(candidate)) {
        const label = timeframeLabel(candidate);
        return (
          `all ${this.rows} open times fall on the ${label} grid and no two rows are closer than ${label}: these look like ${label} bars, ` +
          `not ${timeframeLabel(this.timeframe)}. Import them with --timeframe ${label} (or --trust-timeframe if they really are sparse ` +
          `${timeframeLabel(this.timeframe)} bars). Nothing was written.`
        );
      }
    }
    return undefined;
  }
}
