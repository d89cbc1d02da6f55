import type { BarColumns } from "../../../src/domain/bar";
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { findGaps } from "../../../src/domain/gaps";
import { resampleBars, ResampledBars } from "../../../src/domain/resampling";
import { floorToGrid, Timeframe, timeframeDurationMs } from "../../../src/domain/timeframe";
import {
  ALWAYS_OPEN,
  parseCalendarPreset,
  TradingCalendar,
  weeklySessionCalendar,
} from "../../../src/domain/trading-calendar";
import { loadSeries, sliceSeries } from "../../support/market-data";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(iso);
const iso = (time: number) => new Date(time).toISOString();
const weekdays = parseCalendarPreset("weekdays");
const fx = parseCalendarPreset("fx");
const closedOnly = { includeIncomplete: false };
const withIncomplete = { includeIncomplete: true };

/** Row index by open time, to look up an oracle bar. */
function indexByOpenTime(columns: BarColumns): Map<number, number> {
  const index = new Map<number, number>();
  columns.openTime.forEach((time, row) => index.set(time, row));
  return index;
}

/** Relative difference, 0 when both are 0. */
function relativeDifference(actual: number, expected: number): number {
  return actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

/**
 * Checks resampled bucket `b` against oracle row `row`: OHLC identical, volume within `volumeTolerance`
 * relative (the oracle's volume is the exchange's own sum, in another order). Returns a description of the
 * first mismatch, or null.
 */
function mismatch(
  result: ResampledBars,
  b: number,
  oracle: BarColumns,
  row: number | undefined,
  volumeTolerance: number,
): string | null {
  const at = iso(result.columns.openTime[b]);
  if (row === undefined) return `${at}: no oracle bar`;
  for (const field of ["open", "high", "low", "close"] as const) {
    if (result.columns[field][b] !== oracle[field][row]) {
      return `${at} ${field}: ${result.columns[field][b]} vs oracle ${oracle[field][row]}`;
    }
  }
  const difference = relativeDifference(result.columns.volume[b], oracle.volume[row]);
  if (difference <= volumeTolerance) return null;
  return `${at} volume: ${result.columns.volume[b]} vs oracle ${oracle.volume[row]}`;
}

/** Every mismatch of the complete buckets of `result` against `oracle`. */
function mismatchesOfCompleteBuckets(result: ResampledBars, oracle: BarColumns, volumeTolerance: number): string[] {
  const index = indexByOpenTime(oracle);
  const problems: string[] = [];
  for (let b = 0; b < result.columns.length; b++) {
    if (result.complete[b] === 1) {
      const problem = mismatch(result, b, oracle, index.get(result.columns.openTime[b]), volumeTolerance);
      if (problem !== null) problems.push(problem);
    }
  }
  return problems;
}

/** A gap written with ISO times. */
const gap = (first: string, last: string, missingBars: number) => ({
  firstMissingOpenTime: ms(first),
  lastMissingOpenTime: ms(last),
  missingBars,
});

/** Bucket index of an ISO open time in a result (-1 when absent). */
const bucketAt = (result: ResampledBars, time: string) => result.columns.openTime.indexOf(ms(time));

/** Count, expected count and complete flag of bucket `b`, for compact expectations. */
const flagsOf = (result: ResampledBars, b: number) => ({
  openTime: iso(result.columns.openTime[b]),
  bars: result.sourceBarCounts[b],
  expected: result.expectedBarCounts[b],
  complete: result.complete[b],
});

/**
 * Straightforward reference aggregation written independently of resampleBars: groups rows by
 * floor(openTime / span) in a Map, then folds each group. Volume is summed oldest first.
 */
function naiveAggregate(source: BarColumns, spanMs: number) {
  const groups = new Map<number, number[]>();
  for (let row = 0; row < source.length; row++) {
    const start = Math.floor(source.openTime[row] / spanMs) * spanMs;
    const rows = groups.get(start) ?? [];
    rows.push(row);
    groups.set(start, rows);
  }
  return [...groups.entries()].map(([openTime, rows]) => ({
    openTime,
    open: source.open[rows[0]],
    high: Math.max(...rows.map((row) => source.high[row])),
    low: Math.min(...rows.map((row) => source.low[row])),
    close: source.close[rows[rows.length - 1]],
    volume: decimalReferenceSum(rows.map((row) => source.volume[row])),
    bars: rows.length,
  }));
}

/**
 * The exact sum of the values' decimals (each read at 10 places with toFixed, summed as BigInt) rounded once to a
 * double: an implementation independent of sumDecimals', for the volumes of the sample data (at most 8 decimal
 * places, below a million: 10 places recover each decimal from its double).
 */
function decimalReferenceSum(values: readonly number[]): number {
  const scaled = values.reduce((total, value) => total + BigInt(value.toFixed(10).replace(".", "")), 0n);
  const text = scaled.toString().padStart(11, "0");
  return Number(`${text.slice(0, -10)}.${text.slice(-10)}`);
}

/** The result's buckets in the shape of {@link naiveAggregate}. */
function bucketsOf(result: ResampledBars) {
  return Array.from({ length: result.columns.length }, (_, b) => ({
    openTime: result.columns.openTime[b],
    open: result.columns.open[b],
    high: result.columns.high[b],
    low: result.columns.low[b],
    close: result.columns.close[b],
    volume: result.columns.volume[b],
    bars: result.sourceBarCounts[b],
  }));
}

/** Synthetic bars at the given open times; row i has open 100+i, high 200+i, low 50-i, close 150+i, volume 1+i. */
function barsAt(openTimes: readonly number[]): BarColumns {
  const n = openTimes.length;
  const column = (value: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => value(i));
  return {
    length: n,
    openTime: Float64Array.from(openTimes),
    open: column((i) => 100 + i),
    high: column((i) => 200 + i),
    low: column((i) => 50 - i),
    close: column((i) => 150 + i),
    volume: column((i) => 1 + i),
  };
}

/** Consecutive open times from `first` (ISO), `count` of them, `step` ms apart. */
function run(first: string, count: number, step: number): number[] {
  return Array.from({ length: count }, (_, i) => ms(first) + i * step);
}

/** Fields whose arrays differ bit for bit between two column sets (fast, unlike toEqual on large typed arrays). */
function differingColumns(actual: BarColumns, expected: BarColumns): string[] {
  const fields = ["openTime", "open", "high", "low", "close", "volume"] as const;
  const bytes = (column: Float64Array) => Buffer.from(column.buffer, column.byteOffset, column.byteLength);
  return [
    ...(actual.length === expected.length ? [] : ["length"]),
    ...fields.filter((field) => !bytes(actual[field]).equals(bytes(expected[field]))),
  ];
}

/** resampleBars over synthetic bars at `openTimes` (see {@link barsAt}). */
function resampleAt(
  openTimes: readonly number[],
  from: Timeframe,
  to: Timeframe,
  calendar: TradingCalendar,
  options: { includeIncomplete: boolean; now?: number },
): ResampledBars {
  return resampleBars(barsAt(openTimes), from, to, calendar, options);
}

function badInput(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return error as DomainError;
  }
  throw new Error("expected a BAD_USER_INPUT DomainError");
}

describe.each([
  ["BTCUSDT", "2024-02-12T03:00:00.000Z", "2024-03-17T19:00:00.000Z"],
  ["ETHUSDT", "2024-05-01T03:00:00.000Z", "2024-06-04T19:00:00.000Z"],
])("%s 1m → 1h against the exchange's own 1h bars (SOURCES.md: 833 hours)", (symbol, firstHour, lastCompleteHour) => {
  const minutes = loadSeries(`${symbol}-1m.csv`);
  const hours = loadSeries(`${symbol}-1h.csv`);

  it("equals the 1h file for every complete hour: OHLC and volume identical (volumes summed decimal-exact)", () => {
    const result = resampleBars(minutes, Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, closedOnly);
    expect(result.columns.length).toBe(833);
    expect(Array.from(result.complete).every((flag) => flag === 1)).toBe(true);
    expect(Array.from(result.sourceBarCounts).every((count) => count === 60)).toBe(true);
    expect(Array.from(result.expectedBarCounts).every((count) => count === 60)).toBe(true);
    expect(iso(result.columns.openTime[0])).toBe(firstHour);
    expect(iso(result.columns.openTime[832])).toBe(lastCompleteHour);
    expect(mismatchesOfCompleteBuckets(result, hours, 0)).toEqual([]);
  });

  it("leaves out the partial last hour (20 of 60 minutes: the data stops at 20:19) unless asked", () => {
    const result = resampleBars(minutes, Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, withIncomplete);
    expect(result.columns.length).toBe(834);
    const lastHour = new Date(ms(lastCompleteHour) + HOUR).toISOString();
    expect(flagsOf(result, 833)).toEqual({ openTime: lastHour, bars: 20, expected: 60, complete: 0 });
    // The partial bar is a true prefix of the exchange's hour: same open, and no higher high / lower low.
    const row = indexByOpenTime(hours).get(ms(lastHour))!;
    expect(result.columns.open[833]).toBe(hours.open[row]);
    expect(result.columns.high[833]).toBeLessThanOrEqual(hours.high[row]);
    expect(result.columns.low[833]).toBeGreaterThanOrEqual(hours.low[row]);
  });

  it("returns a partial first hour flagged (the series starting at :17 lacks 17 minutes)", () => {
    const result = resampleBars(sliceSeries(minutes, 17), Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, closedOnly);
    expect(result.columns.length).toBe(833);
    expect(flagsOf(result, 0)).toEqual({ openTime: firstHour, bars: 43, expected: 60, complete: 0 });
    expect(result.columns.open[0]).toBe(minutes.open[17]);
    expect(Array.from(result.complete.subarray(1)).every((flag) => flag === 1)).toBe(true);
    expect(mismatchesOfCompleteBuckets(result, hours, 0)).toEqual([]);
  });
});

describe("EURUSD 1h → 1d against the broker's own daily bars (weekdays calendar)", () => {
  const hours = loadSeries("EURUSD-1h.csv");
  const days = loadSeries("EURUSD-1d.csv");
  const result = resampleBars(hours, Timeframe.H1, Timeframe.D1, weekdays, closedOnly);

  it("equals the 1d file exactly (open, high, low, close, tick volume) for every complete day", () => {
    const complete = Array.from(result.complete).filter((flag) => flag === 1).length;
    // 24 hourly bars: 1,867 days. Holidays and the Fridays of the weeks when US and EU summer time disagree
    // (23:00 missing, see the weekdays preset) lack bars and are flagged.
    expect(complete).toBe(1867);
    expect(mismatchesOfCompleteBuckets(result, days, 0)).toEqual([]);
  });

  it("covers 2015-03-10..2022-07-18; the flagged interior days still equal the broker's bars", () => {
    // The broker's daily bar aggregates the hours it has, so the 43 flagged days match too: 1,910 days in
    // all. SOURCES.md's 1,904 are the days with at least 21 hourly bars (it leaves out six 17/18-bar holidays).
    expect(flagsOf(result, 1).openTime).toBe("2015-03-10T00:00:00.000Z");
    expect(iso(result.columns.openTime[result.columns.length - 1])).toBe("2022-07-18T00:00:00.000Z");
    const interior = { ...result, columns: sliceSeries(result.columns, 1) };
    const index = indexByOpenTime(days);
    const problems: string[] = [];
    for (let b = 0; b < interior.columns.length; b++) {
      const problem = mismatch(interior, b, days, index.get(interior.columns.openTime[b]), 0);
      if (problem !== null) problems.push(problem);
    }
    expect(interior.columns.length).toBe(1910);
    expect(problems).toEqual([]);
    expect(Array.from(result.sourceBarCounts.subarray(1)).filter((count) => count >= 21)).toHaveLength(1904);
  });

  it("returns the partial first day flagged and leaves out the unfinished last day", () => {
    expect(flagsOf(result, 0)).toEqual({ openTime: "2015-03-09T00:00:00.000Z", bars: 10, expected: 24, complete: 0 });
    const all = resampleBars(hours, Timeframe.H1, Timeframe.D1, weekdays, withIncomplete);
    expect(all.columns.length).toBe(result.columns.length + 1);
    // The last bar opens 2022-07-19T22:00: the 23:00 slot of that Tuesday is still to come.
    expect(flagsOf(all, all.columns.length - 1)).toEqual({
      openTime: "2022-07-19T00:00:00.000Z",
      bars: 23,
      expected: 24,
      complete: 0,
    });
  });

  it("flags a holiday with its counts and a short Friday with one missing hour", () => {
    expect(flagsOf(result, bucketAt(result, "2015-12-24T00:00:00Z"))).toEqual({
      openTime: "2015-12-24T00:00:00.000Z",
      bars: 21,
      expected: 24,
      complete: 0,
    });
    expect(flagsOf(result, bucketAt(result, "2015-03-13T00:00:00Z"))).toEqual({
      openTime: "2015-03-13T00:00:00.000Z",
      bars: 23,
      expected: 24,
      complete: 0,
    });
    // Weekends are closed: no Saturday or Sunday bucket, and no weekday expects fewer than 24 hours.
    expect(Array.from(result.columns.openTime).filter((t) => [0, 6].includes(new Date(t).getUTCDay()))).toEqual([]);
    expect(Array.from(result.expectedBarCounts).every((count) => count === 24)).toBe(true);
  });
});

describe("BTCUSDT 1m (April 2021) → 1h across the exchange maintenance gaps", () => {
  const minutes = loadSeries("BTCUSDT-1m-2021-04.csv");
  const result = resampleBars(minutes, Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, closedOnly);

  it("flags the hours holding part of a gap with the right counts and emits none for empty hours", () => {
    const flagged = Array.from(result.complete.keys())
      .filter((b) => result.complete[b] === 0)
      .map((b) => flagsOf(result, b));
    expect(flagged).toEqual([
      // 2021-04-20 02:00-04:29 missing: 02:00 and 03:00 hold no bar, 04:00 keeps 04:30-04:59.
      { openTime: "2021-04-20T04:00:00.000Z", bars: 30, expected: 60, complete: 0 },
      // 2021-04-25 04:01-08:44 missing: 04:00 keeps one minute, 05:00-07:00 hold none, 08:00 keeps 08:45-08:59.
      { openTime: "2021-04-25T04:00:00.000Z", bars: 1, expected: 60, complete: 0 },
      { openTime: "2021-04-25T08:00:00.000Z", bars: 15, expected: 60, complete: 0 },
    ]);
    const emptyHours = ["2021-04-20T02:00:00Z", "2021-04-20T03:00:00Z", "2021-04-25T05:00:00Z", "2021-04-25T07:00:00Z"];
    expect(emptyHours.map((hour) => bucketAt(result, hour))).toEqual([-1, -1, -1, -1]);
    // The missing hours are gaps of the 1h series, as the gap detector reports them.
    expect(findGaps(result.columns.openTime, Timeframe.H1, ALWAYS_OPEN)).toEqual([
      gap("2021-04-20T02:00:00Z", "2021-04-20T03:00:00Z", 2),
      gap("2021-04-25T05:00:00Z", "2021-04-25T07:00:00Z", 3),
    ]);
  });

  it("aggregates the flagged hours from the bars that exist, nothing invented", () => {
    expect(bucketsOf(result)).toEqual(naiveAggregate(sliceSeries(minutes, 0, minutes.length - 34), HOUR));
    // Total volume is preserved: every source bar up to the last complete hour lands in exactly one bucket.
    const sourceBars = Array.from(result.sourceBarCounts).reduce((sum, count) => sum + count, 0);
    expect(sourceBars).toBe(minutes.length - 34); // the data stops at 03:33: 34 minutes of an unfinished hour
  });
});

describe("edge cases", () => {
  it("returns empty columns for an empty input, whatever the calendar", () => {
    for (const calendar of [ALWAYS_OPEN, fx]) {
      const result = resampleAt([], Timeframe.M1, Timeframe.H1, calendar, withIncomplete);
      expect(result.columns.length).toBe(0);
      expect(result.columns.close).toHaveLength(0);
      expect(result.sourceBarCounts).toHaveLength(0);
      expect(result.expectedBarCounts).toHaveLength(0);
      expect(result.complete).toHaveLength(0);
    }
  });

  it("treats one bar opening an hour as an unfinished hour, and one closing it as a finished partial hour", () => {
    const first = barsAt([ms("2024-01-05T10:00:00Z")]);
    expect(resampleBars(first, Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, closedOnly).columns.length).toBe(0);
    const included = resampleBars(first, Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, withIncomplete);
    expect(flagsOf(included, 0)).toEqual({ openTime: "2024-01-05T10:00:00.000Z", bars: 1, expected: 60, complete: 0 });
    expect([included.columns.open[0], included.columns.high[0], included.columns.low[0]]).toEqual([100, 200, 50]);
    expect([included.columns.close[0], included.columns.volume[0]]).toEqual([150, 1]);

    const last = resampleAt([ms("2024-01-05T10:59:00Z")], Timeframe.M1, Timeframe.H1, ALWAYS_OPEN, closedOnly);
    expect(flagsOf(last, 0)).toEqual({ openTime: "2024-01-05T10:00:00.000Z", bars: 1, expected: 60, complete: 0 });
  });

  it("splits 1m bars at midnight UTC into two days", () => {
    const source = barsAt(run("2024-01-05T23:57:00Z", 6, MINUTE)); // 23:57 .. 00:02
    const result = resampleBars(source, Timeframe.M1, Timeframe.D1, ALWAYS_OPEN, withIncomplete);
    expect(bucketsOf(result)).toEqual([
      { openTime: ms("2024-01-05T00:00:00Z"), open: 100, high: 202, low: 48, close: 152, volume: 6, bars: 3 },
      { openTime: ms("2024-01-06T00:00:00Z"), open: 103, high: 205, low: 45, close: 155, volume: 15, bars: 3 },
    ]);
    expect(Array.from(result.expectedBarCounts)).toEqual([1440, 1440]);
    expect(Array.from(result.complete)).toEqual([0, 0]);
  });

  it("1m → 1d over 34 real days equals the days of the exchange's 1h bars", () => {
    const minutes = loadSeries("BTCUSDT-1m.csv");
    const result = resampleBars(minutes, Timeframe.M1, Timeframe.D1, ALWAYS_OPEN, closedOnly);
    // 2024-02-12 starts at 03:00 (flagged, 1,260 minutes); 2024-03-17 stops at 20:19 (unfinished, left out).
    expect(flagsOf(result, 0)).toEqual({
      openTime: "2024-02-12T00:00:00.000Z",
      bars: 1260,
      expected: 1440,
      complete: 0,
    });
    expect(result.columns.length).toBe(34);
    expect(iso(result.columns.openTime[33])).toBe("2024-03-16T00:00:00.000Z");
    const hours = loadSeries("BTCUSDT-1h.csv");
    const hourIndex = indexByOpenTime(hours);
    const from = hourIndex.get(ms("2024-02-13T00:00:00Z"))!;
    const to = hourIndex.get(ms("2024-03-17T00:00:00Z"))!;
    const oracleDays = naiveAggregate(sliceSeries(hours, from, to), DAY);
    expect(oracleDays.every((day) => day.bars === 24)).toBe(true);
    const days = bucketsOf(result).slice(1);
    expect(days.map(({ volume, bars, ...ohlc }) => ohlc)).toEqual(oracleDays.map(({ volume, bars, ...ohlc }) => ohlc));
    days.forEach((day, i) => expect(relativeDifference(day.volume, oracleDays[i].volume)).toBeLessThanOrEqual(1e-12));
    expect(Array.from(result.complete.subarray(1)).every((flag) => flag === 1)).toBe(true);
  });

  it("puts 4h buckets at 00/04/08/12/16/20 UTC and flags the one holding the missing hour", () => {
    const hours = loadSeries("BTCUSDT-1h.csv");
    const result = resampleBars(hours, Timeframe.H1, Timeframe.H4, ALWAYS_OPEN, closedOnly);
    const startHours = new Set(Array.from(result.columns.openTime, (t) => new Date(t).getUTCHours()));
    expect([...startHours].sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(iso(result.columns.openTime[0])).toBe("2022-01-01T00:00:00.000Z");
    expect(bucketsOf(result)).toEqual(naiveAggregate(hours, 4 * HOUR));
    const [missing] = findGaps(hours.openTime, Timeframe.H1, ALWAYS_OPEN);
    const flagged = Array.from(result.complete.keys()).filter((b) => result.complete[b] === 0);
    expect(flagged.map((b) => flagsOf(result, b))).toEqual([
      { openTime: iso(floorToGrid(missing.firstMissingOpenTime, Timeframe.H4)), bars: 3, expected: 4, complete: 0 },
    ]);
  });

  it("starts 1m → 4h buckets on the grid, not at the first bar", () => {
    const source = barsAt(run("2024-01-05T03:00:00Z", 300, MINUTE)); // 03:00 .. 07:59
    const result = resampleBars(source, Timeframe.M1, Timeframe.H4, ALWAYS_OPEN, closedOnly);
    expect([flagsOf(result, 0), flagsOf(result, 1)]).toEqual([
      { openTime: "2024-01-05T00:00:00.000Z", bars: 60, expected: 240, complete: 0 },
      { openTime: "2024-01-05T04:00:00.000Z", bars: 240, expected: 240, complete: 1 },
    ]);
  });

  it("copies the source for an identical timeframe", () => {
    const hours = loadSeries("BTCUSDT-1h.csv");
    const result = resampleBars(hours, Timeframe.H1, Timeframe.H1, ALWAYS_OPEN, closedOnly);
    expect(differingColumns(result.columns, hours)).toEqual([]);
    expect(result.columns.close).not.toBe(hours.close);
    expect(Array.from(result.sourceBarCounts).every((count) => count === 1)).toBe(true);
    expect(Array.from(result.complete).every((flag) => flag === 1)).toBe(true);
    const fxHours = loadSeries("EURUSD-1h.csv");
    const weekly = resampleBars(fxHours, Timeframe.H1, Timeframe.H1, weekdays, closedOnly);
    expect(differingColumns(weekly.columns, fxHours)).toEqual([]);
    expect(Array.from(weekly.expectedBarCounts).every((count) => count === 1)).toBe(true);
  });

  it("rejects a target shorter than the source with BAD_USER_INPUT", () => {
    const source = barsAt(run("2024-01-05T00:00:00Z", 3, HOUR));
    expect(badInput(() => resampleBars(source, Timeframe.H1, Timeframe.M5, ALWAYS_OPEN, closedOnly)).message).toMatch(
      /1h bars to 5m/,
    );
    badInput(() => resampleBars(source, Timeframe.D1, Timeframe.H4, ALWAYS_OPEN, closedOnly));
    badInput(() => resampleAt([], Timeframe.H4, Timeframe.H1, ALWAYS_OPEN, closedOnly));
    const notAnInstant = { includeIncomplete: false, now: NaN };
    badInput(() => resampleBars(source, Timeframe.H1, Timeframe.H4, ALWAYS_OPEN, notAnInstant));
  });

  it("treats buckets closing after `now` as unfinished, and one closing exactly at `now` as closed", () => {
    const source = barsAt(run("2024-01-05T00:00:00Z", 12, HOUR)); // 00:00 .. 11:00: three full 4h buckets
    const resample = (now: number, includeIncomplete: boolean) =>
      resampleBars(source, Timeframe.H1, Timeframe.H4, ALWAYS_OPEN, { includeIncomplete, now });
    expect(resample(ms("2024-01-05T12:00:00Z"), false).columns.length).toBe(3);
    expect(resample(ms("2024-01-05T11:59:59.999Z"), false).columns.length).toBe(2);
    expect(resample(ms("2024-01-05T07:00:00Z"), false).columns.length).toBe(1);
    const included = resample(ms("2024-01-05T07:00:00Z"), true);
    expect(Array.from(included.sourceBarCounts)).toEqual([4, 4, 4]);
    expect(Array.from(included.complete)).toEqual([1, 0, 0]);
  });
});

describe("weekly sessions", () => {
  it("expects only the slots during which the market is open, counting a partly open slot", () => {
    const stocks = weeklySessionCalendar({
      openDay: 1,
      openTime: "09:30",
      closeDay: 5,
      closeTime: "16:00",
      timeZone: "America/New_York",
    });
    // Monday 2024-01-08 (EST, UTC-5): 14:00-14:59 UTC = 09:00-09:59 New York, 15m bars from the 09:30 open.
    const quarters = run("2024-01-08T14:30:00Z", 2, 15 * MINUTE);
    const monday = resampleAt(quarters, Timeframe.M15, Timeframe.H1, stocks, closedOnly);
    expect(flagsOf(monday, 0)).toEqual({ openTime: "2024-01-08T14:00:00.000Z", bars: 2, expected: 2, complete: 1 });
    // 1h slots: 09:00-10:00 New York is partly open, so expected; the session then runs through to Friday,
    // so Monday expects 14:00..23:00 UTC (10 slots) and the data stopping at 21:00 leaves the day unfinished.
    const hourly = resampleAt(run("2024-01-08T14:00:00Z", 8, HOUR), Timeframe.H1, Timeframe.D1, stocks, withIncomplete);
    expect(flagsOf(hourly, 0)).toEqual({ openTime: "2024-01-08T00:00:00.000Z", bars: 8, expected: 10, complete: 0 });
  });

  it("counts a slot touched by the close and the next open once", () => {
    // Closed only Monday 00:10-00:20 UTC: the 00:00 hour is open before and after the break, one slot.
    const almostAlways = weeklySessionCalendar({
      openDay: 1,
      openTime: "00:20",
      closeDay: 1,
      closeTime: "00:10",
      timeZone: "UTC",
    });
    const hours = run("2024-01-08T00:00:00Z", 24, HOUR);
    const monday = resampleAt(hours, Timeframe.H1, Timeframe.D1, almostAlways, closedOnly);
    expect(flagsOf(monday, 0)).toEqual({ openTime: "2024-01-08T00:00:00.000Z", bars: 24, expected: 24, complete: 1 });
    const firstHour = run("2024-01-08T00:00:00Z", 60, MINUTE);
    const minutes = resampleAt(firstHour, Timeframe.M1, Timeframe.H1, almostAlways, closedOnly);
    expect(flagsOf(minutes, 0)).toEqual({ openTime: "2024-01-08T00:00:00.000Z", bars: 60, expected: 50, complete: 1 });
  });

  it("follows the FX session across a weekend and a DST change", () => {
    // Friday 2024-03-08 (EST): open until 22:00 UTC; Sunday 2024-03-10 (EDT from 07:00 UTC): opens 21:00 UTC.
    const friday = resampleAt(run("2024-03-08T20:00:00Z", 120, MINUTE), Timeframe.M1, Timeframe.H4, fx, closedOnly);
    expect(flagsOf(friday, 0)).toEqual({ openTime: "2024-03-08T20:00:00.000Z", bars: 120, expected: 120, complete: 1 });
    const sunday = resampleAt(run("2024-03-10T21:00:00Z", 180, MINUTE), Timeframe.M1, Timeframe.H4, fx, closedOnly);
    expect(flagsOf(sunday, 0)).toEqual({ openTime: "2024-03-10T20:00:00.000Z", bars: 180, expected: 180, complete: 1 });
    // Hourly bars straight through the weekend (Saturday's are off-session): Friday expects 00:00..21:00 UTC,
    // Saturday nothing, Sunday 21:00..23:00.
    const week = resampleAt(run("2024-03-08T21:00:00Z", 49, HOUR), Timeframe.H1, Timeframe.D1, fx, withIncomplete);
    expect(Array.from(week.expectedBarCounts)).toEqual([22, 0, 3]);
    expect(Array.from(week.sourceBarCounts)).toEqual([3, 24, 22]);
    expect(Array.from(week.complete)).toEqual([0, 1, 0]);
  });

  it("aggregates a bar in a closed slot but does not let it stand in for a missing one", () => {
    // Friday 20:00-23:59 UTC under fx (EST): 120 open minutes. 21:30 is missing, a stray bar sits at 22:00.
    const times = run("2024-01-05T20:00:00Z", 120, MINUTE).filter((t) => t !== ms("2024-01-05T21:30:00Z"));
    const result = resampleAt([...times, ms("2024-01-05T22:00:00Z")], Timeframe.M1, Timeframe.H4, fx, closedOnly);
    expect(flagsOf(result, 0)).toEqual({ openTime: "2024-01-05T20:00:00.000Z", bars: 120, expected: 120, complete: 0 });
    expect(result.columns.close[0]).toBe(150 + 119);
    // With nothing missing, the stray bar does not spoil the bucket (EURUSD-1d's Saturday 2012-12-01 bar).
    const days = loadSeries("EURUSD-1d.csv");
    const daily = resampleBars(days, Timeframe.D1, Timeframe.D1, weekdays, closedOnly);
    expect(flagsOf(daily, bucketAt(daily, "2012-12-01T00:00:00Z"))).toEqual({
      openTime: "2012-12-01T00:00:00.000Z",
      bars: 1,
      expected: 0,
      complete: 1,
    });
  });
});

describe("invariants", () => {
  it.each([
    ["SOLUSDT-1m-2025-01.csv", Timeframe.M1, Timeframe.M15, ALWAYS_OPEN],
    ["BTCUSDT-1m-2021-04.csv", Timeframe.M1, Timeframe.M30, ALWAYS_OPEN],
    ["EURUSD-1h.csv", Timeframe.H1, Timeframe.H4, weekdays],
    ["SPY-1d.csv", Timeframe.D1, Timeframe.D1, weekdays],
  ] as [string, Timeframe, Timeframe, TradingCalendar][])(
    "%s %s → %s equals the reference aggregation; complete exactly when all expected bars are there",
    (file, from, to, calendar) => {
      const source = loadSeries(file);
      const result = resampleBars(source, from, to, calendar, withIncomplete);
      expect(bucketsOf(result)).toEqual(naiveAggregate(source, timeframeDurationMs(to)));
      // These series hold no bar in a closed slot, so complete is the plain count comparison.
      const flags = Array.from(result.complete.keys(), (b) => [
        result.sourceBarCounts[b] <= result.expectedBarCounts[b],
        result.complete[b] === (result.sourceBarCounts[b] === result.expectedBarCounts[b] ? 1 : 0),
      ]);
      expect(flags.filter(([atMost, consistent]) => !atMost || !consistent)).toEqual([]);
    },
  );
});
