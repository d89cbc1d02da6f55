import { allocateBarColumns, type BarColumns } from "./bar";
import { sumDecimals } from "./decimal-sum";
import { badUserInput } from "./errors";
import { Timeframe, timeframeDurationMs, timeframeLabel } from "./timeframe";
import { CalendarKind, hasClosures, openIntervals, TimeInterval, TradingCalendar } from "./trading-calendar";

/** How {@link resampleBars} treats the unfinished end of the series. */
export interface ResampleOptions {
  /**
   * false (the usual choice for features, which use closed bars only): unfinished trailing buckets are
   * left out. true: they are returned, with `complete` = 0.
   */
  readonly includeIncomplete: boolean;
  /**
   * The present instant, epoch ms UTC. When given, every bucket whose close time (openTime + target
   * duration) is after `now` is unfinished. When omitted, only the data decides (see {@link resampleBars}).
   */
  readonly now?: number;
}

/**
 * Bars aggregated to a longer timeframe, with what each bucket was built from. All arrays have length
 * `columns.length`, indexed like the columns (oldest bucket first).
 */
export interface ResampledBars {
  /** One bar per bucket: openTime = bucket start (epoch ms UTC, on the target grid), OHLCV as in the source. */
  readonly columns: BarColumns;
  /** Number of source bars aggregated into each bucket (≥ 1: a bucket without any source bar is not emitted). */
  readonly sourceBarCounts: Int32Array;
  /**
   * Number of source grid slots in the bucket during which the calendar has the market open (a slot counts
   * when the market is open during any part of it, as in gap detection). ALWAYS_OPEN: target/source ratio.
   */
  readonly expectedBarCounts: Int32Array;
  /**
   * 1 when every expected source slot of the bucket holds a bar and the bucket is finished; 0 when the bucket
   * contains a gap (or, with includeIncomplete, is the unfinished trailing bucket).
   */
  readonly complete: Uint8Array;
}

/**
 * Aggregates bars to a longer timeframe on the UTC grid of the target: each bucket
 * [k·D, (k+1)·D) (D = target duration) gets open = first open, high = max high, low = min low,
 * close = last close, volume = sum of volumes (decimal-exact: see sumDecimals, so 1m volumes sum to the exchange's
 * own 1h volume), openTime = bucket start.
 *
 * Rules (a missing bar is never filled or invented):
 * - Buckets that hold no source bar are not emitted; they show up as gaps of the target series.
 * - A bucket is complete when each of its expected source slots (slots during which the calendar has the
 *   market open) holds a bar. With bars only in open slots, that is sourceBarCounts == expectedBarCounts.
 *   Bars in slots the calendar calls closed (e.g. a stray Saturday bar) are still aggregated and counted in
 *   sourceBarCounts, but they do not make up for a missing bar.
 * - Leading and interior buckets that miss bars (the series starts inside the bucket, a data gap, a holiday
 *   the calendar does not know) are returned with complete = 0: their data will not come later.
 * - Trailing unfinished buckets: a bucket is unfinished when (a) `now` is given and its close time is after
 *   `now`, or (b) it is the last bucket and the calendar has an open source slot in it after the last source
 *   bar (the series has not reached the bucket's end yet; an outage in the bucket's last minutes looks the
 *   same and is treated the same). Unfinished buckets are always a suffix of the result. They are left out
 *   unless `includeIncomplete`, which returns them with complete = 0 (even when no bar is missing yet,
 *   e.g. FX Friday after the close but before 24:00 UTC with `now` set).
 * - Equal timeframes give a copy of the source with per-bar counts (identity).
 *
 * Cost: one pass over the source columns with no per-row allocation, then O(buckets) for the flags.
 * ALWAYS_OPEN costs O(1) per bucket (about 10 ms for 1M 1m bars → 1h, see bench/resample.bench.ts). A weekly
 * session computes the open intervals of the whole span once with {@link openIntervals} (O(weeks spanned),
 * about 0.3 ms per week, most of the ~30 ms it adds for 1M 1m bars) and sweeps them alongside buckets and bars.
 *
 * @param source bars oldest first, strictly ascending, on the `sourceTimeframe` grid (assumed validated);
 *   openTime epoch ms UTC
 * @param sourceTimeframe timeframe of `source`
 * @param targetTimeframe timeframe to aggregate to: equal to the source or a whole multiple of it
 * @param calendar when the market is open; decides expectedBarCounts and thus `complete`
 * @param options see {@link ResampleOptions}
 * @returns new arrays (the source is never aliased), oldest bucket first; length 0 for an empty source
 * @throws DomainError BAD_USER_INPUT when the target is shorter than the source or not a whole multiple of it
 *   (e.g. 1h → 5m), or when `now` is given but not a finite number
 */
export function resampleBars(
  source: BarColumns,
  sourceTimeframe: Timeframe,
  targetTimeframe: Timeframe,
  calendar: TradingCalendar,
  options: ResampleOptions,
): ResampledBars {
  const slot = timeframeDurationMs(sourceTimeframe);
  const span = timeframeDurationMs(targetTimeframe);
  if (span < slot || span % slot !== 0) {
    throw badUserInput(
      `Cannot resample ${timeframeLabel(sourceTimeframe)} bars to ${timeframeLabel(targetTimeframe)}: ` +
        `the target timeframe must be equal to or a whole multiple of the source timeframe.`,
      { sourceTimeframe, targetTimeframe },
    );
  }
  const { now } = options;
  if (now !== undefined && !Number.isFinite(now)) {
    throw badUserInput(`"now" must be an instant in epoch milliseconds, got ${now}.`, { now });
  }
  const n = source.length;
  if (n === 0) {
    return allocateResult(0);
  }
  const { openTime, open, high, low, close, volume } = source;

  // Upper bound of the bucket count: one per source bar, and one per target slot spanned.
  const firstStart = Math.floor(openTime[0] / span) * span;
  const lastStart = Math.floor(openTime[n - 1] / span) * span;
  const capacity = Math.min(n, (lastStart - firstStart) / span + 1);
  const result = allocateResult(capacity);
  const out = result.columns;
  const counts = result.sourceBarCounts;

  // Pass 1: aggregation. A new bucket starts when a bar opens at or after the current bucket's end.
  let bucket = -1;
  let bucketEnd = -Infinity;
  let o = 0;
  let h = 0;
  let l = 0;
  let c = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const time = openTime[i];
    if (time >= bucketEnd) {
      if (bucket >= 0) {
        out.open[bucket] = o;
        out.high[bucket] = h;
        out.low[bucket] = l;
        out.close[bucket] = c;
        counts[bucket] = count;
      }
      bucket++;
      const start = Math.floor(time / span) * span;
      out.openTime[bucket] = start;
      bucketEnd = start + span;
      o = open[i];
      h = high[i];
      l = low[i];
      count = 0;
    }
    const barHigh = high[i];
    if (barHigh > h) h = barHigh;
    const barLow = low[i];
    if (barLow < l) l = barLow;
    c = close[i];
    count++;
  }
  out.open[bucket] = o;
  out.high[bucket] = h;
  out.low[bucket] = l;
  out.close[bucket] = c;
  counts[bucket] = count;
  const bucketCount = bucket + 1;
  // Volumes apart: each bucket's source rows are consecutive, and their sum is taken decimal-exact.
  for (let b = 0, first = 0; b < bucketCount; first += counts[b], b++) out.volume[b] = sumDecimals(volume, first, first + counts[b]);

  // Pass 2: expected slots and completeness; `slotsAfterLastBar` = open slots of the last bucket after the data.
  const expected = result.expectedBarCounts;
  const complete = result.complete;
  let slotsAfterLastBar: number;
  if (calendar.kind === CalendarKind.ALWAYS_OPEN && !hasClosures(calendar)) {
    const ratio = span / slot;
    for (let b = 0; b < bucketCount; b++) {
      expected[b] = ratio;
      complete[b] = counts[b] === ratio ? 1 : 0;
    }
    slotsAfterLastBar = (lastStart + span - (openTime[n - 1] + slot)) / slot;
  } else {
    const intervals = openIntervals(calendar, firstStart, lastStart + span);
    const m = intervals.length;
    let bucketInterval = 0; // first interval ending after the current bucket's start
    let barInterval = 0; // first interval ending after the current bar's open time
    let i = 0;
    for (let b = 0; b < bucketCount; b++) {
      const start = out.openTime[b];
      while (bucketInterval < m && intervals[bucketInterval].end <= start) bucketInterval++;
      const expectedSlots = countOpenSlots(intervals, bucketInterval, start, start + span, slot);
      let barsInOpenSlots = 0;
      for (const end = i + counts[b]; i < end; i++) {
        const time = openTime[i];
        while (barInterval < m && intervals[barInterval].end <= time) barInterval++;
        if (barInterval < m && intervals[barInterval].start < time + slot) barsInOpenSlots++;
      }
      expected[b] = expectedSlots;
      // Bars are unique per slot, so equality means every open slot holds a bar.
      complete[b] = barsInOpenSlots === expectedSlots ? 1 : 0;
    }
    slotsAfterLastBar = countOpenSlots(intervals, bucketInterval, openTime[n - 1] + slot, lastStart + span, slot);
  }

  // Pass 3: the unfinished suffix, buckets [unfinishedFrom, bucketCount).
  let unfinishedFrom = bucketCount;
  if (now !== undefined) {
    while (unfinishedFrom > 0 && out.openTime[unfinishedFrom - 1] + span > now) unfinishedFrom--;
  }
  if (slotsAfterLastBar > 0) {
    unfinishedFrom = Math.min(unfinishedFrom, bucketCount - 1);
  }
  let length = unfinishedFrom;
  if (options.includeIncomplete) {
    complete.fill(0, unfinishedFrom, bucketCount);
    length = bucketCount;
  }
  return length === capacity ? result : truncateResult(result, length);
}

/**
 * Number of source slots [k·slot, (k+1)·slot) inside [from, to) during which the market is open, i.e. that
 * overlap one of `intervals` (sorted, disjoint); a slot overlapped by two intervals counts once.
 * `from` and `to` are on the source grid; `firstInterval` is any index before which no interval reaches `from`.
 */
function countOpenSlots(
  intervals: readonly TimeInterval[],
  firstInterval: number,
  from: number,
  to: number,
  slot: number,
): number {
  let count = 0;
  let lastCounted = -Infinity;
  for (let j = firstInterval; j < intervals.length && intervals[j].start < to; j++) {
    const start = Math.max(intervals[j].start, from);
    const end = Math.min(intervals[j].end, to);
    if (end <= start) continue;
    let first = Math.floor(start / slot);
    const last = Math.floor((end - 1) / slot);
    if (first === lastCounted) first++;
    if (last >= first) count += last - first + 1;
    lastCounted = last;
  }
  return count;
}

function allocateResult(length: number): ResampledBars {
  return {
    columns: allocateBarColumns(length),
    sourceBarCounts: new Int32Array(length),
    expectedBarCounts: new Int32Array(length),
    complete: new Uint8Array(length),
  };
}

/** The first `length` buckets as compact copies (the bound used for allocation may exceed the bucket count). */
function truncateResult(result: ResampledBars, length: number): ResampledBars {
  const { columns } = result;
  return {
    columns: {
      length,
      openTime: columns.openTime.slice(0, length),
      open: columns.open.slice(0, length),
      high: columns.high.slice(0, length),
      low: columns.low.slice(0, length),
      close: columns.close.slice(0, length),
      volume: columns.volume.slice(0, length),
    },
    sourceBarCounts: result.sourceBarCounts.slice(0, length),
    expectedBarCounts: result.expectedBarCounts.slice(0, length),
    complete: result.complete.slice(0, length),
  };
}
