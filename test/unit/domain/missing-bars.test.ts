import { missingGaps, subtractGaps, unfilledSlots } from "../../../src/domain/missing-bars";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN, parseCalendarPreset } from "../../../src/domain/trading-calendar";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);
const gap = (first: string, last: string, duration = HOUR) => ({ firstMissingOpenTime: ms(first), lastMissingOpenTime: ms(last), missingBars: (ms(last) - ms(first)) / duration + 1 });

describe("missingGaps", () => {
  const from = ms("2024-01-01T00:00:00Z");
  const to = ms("2024-01-01T23:00:00Z");

  it("is the whole range when nothing is stored", () => {
    expect(missingGaps({ first: null, last: null, jumps: [] }, from, to, Timeframe.H1, ALWAYS_OPEN)).toEqual([gap("2024-01-01T00:00:00Z", "2024-01-01T23:00:00Z")]);
  });

  it("finds the slots before the first stored bar, between stored bars and after the last", () => {
    const span = { first: ms("2024-01-01T03:00:00Z"), last: ms("2024-01-01T20:00:00Z"), jumps: [{ previousOpenTime: ms("2024-01-01T10:00:00Z"), nextOpenTime: ms("2024-01-01T13:00:00Z") }] };
    expect(missingGaps(span, from, to, Timeframe.H1, ALWAYS_OPEN)).toEqual([
      gap("2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z"),
      gap("2024-01-01T11:00:00Z", "2024-01-01T12:00:00Z"),
      gap("2024-01-01T21:00:00Z", "2024-01-01T23:00:00Z"),
    ]);
  });

  it("is empty when the range is stored whole", () => {
    expect(missingGaps({ first: from, last: to, jumps: [] }, from, to, Timeframe.H1, ALWAYS_OPEN)).toEqual([]);
  });

  it("never counts the calendar's closed slots: a weekend of daily bars is not missing", () => {
    const weekdays = parseCalendarPreset("weekdays");
    // Friday 2024-01-05 .. Tuesday 2024-01-09, nothing stored: Fri, Mon, Tue are missing, the weekend is not.
    const missing = missingGaps({ first: null, last: null, jumps: [] }, ms("2024-01-05T00:00:00Z"), ms("2024-01-09T00:00:00Z"), Timeframe.D1, weekdays);
    expect(missing).toEqual([gap("2024-01-05T00:00:00Z", "2024-01-05T00:00:00Z", DAY), gap("2024-01-08T00:00:00Z", "2024-01-09T00:00:00Z", DAY)]);
  });
});

describe("subtractGaps", () => {
  const all = [gap("2024-01-01T00:00:00Z", "2024-01-01T09:00:00Z")];

  it("cuts confirmed slots out of a gap, splitting it", () => {
    expect(subtractGaps(all, [gap("2024-01-01T03:00:00Z", "2024-01-01T04:00:00Z")], HOUR)).toEqual([
      gap("2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z"),
      gap("2024-01-01T05:00:00Z", "2024-01-01T09:00:00Z"),
    ]);
  });

  it("removes a gap covered whole and keeps gaps nothing covers", () => {
    expect(subtractGaps(all, [gap("2023-12-31T20:00:00Z", "2024-01-01T10:00:00Z")], HOUR)).toEqual([]);
    expect(subtractGaps(all, [gap("2024-01-02T00:00:00Z", "2024-01-02T01:00:00Z")], HOUR)).toEqual(all);
    expect(subtractGaps(all, [gap("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"), gap("2024-01-01T09:00:00Z", "2024-01-01T09:00:00Z")], HOUR)).toEqual([
      gap("2024-01-01T01:00:00Z", "2024-01-01T08:00:00Z"),
    ]);
  });
});

describe("unfilledSlots", () => {
  const hole = gap("2024-01-01T00:00:00Z", "2024-01-01T05:00:00Z");

  it("is the slots of the gap no fetched bar filled", () => {
    const fetched = ["2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z", "2024-01-01T04:00:00Z"].map(ms);
    expect(unfilledSlots(hole, fetched, HOUR)).toEqual([gap("2024-01-01T02:00:00Z", "2024-01-01T03:00:00Z"), gap("2024-01-01T05:00:00Z", "2024-01-01T05:00:00Z")]);
  });

  it("is the whole gap when nothing was fetched, and nothing when every slot was", () => {
    expect(unfilledSlots(hole, [], HOUR)).toEqual([hole]);
    const every = Array.from({ length: 6 }, (_, index) => hole.firstMissingOpenTime + index * HOUR);
    expect(unfilledSlots(hole, every, HOUR)).toEqual([]);
    expect(unfilledSlots(hole, [ms("2023-12-31T23:00:00Z"), ...every, ms("2024-01-01T06:00:00Z")], HOUR)).toEqual([]);
  });
});
