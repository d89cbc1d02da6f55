import { countMissingBars, findGaps, Gap, gapsBetween } from "../../../src/domain/gaps";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN, parseCalendarPreset, weeklySessionCalendar } from "../../../src/domain/trading-calendar";
import { loadSeries } from "../../support/market-data";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(iso);
const fx = parseCalendarPreset("fx");
const weekdays = parseCalendarPreset("weekdays");

/** Open times (epoch ms) of a normalized CSV in /work/shared/data. */
const openTimesOf = (file: string) => loadSeries(file).openTime;

/** A gap written with ISO times, for readable expectations. */
function gap(first: string, last: string, missingBars: number): Gap {
  return { firstMissingOpenTime: ms(first), lastMissingOpenTime: ms(last), missingBars };
}

const isoDay = (openTime: number) => new Date(openTime).getUTCDay(); // 0 = Sunday, 6 = Saturday

describe("gapsBetween", () => {
  it("finds nothing between adjacent bars", () => {
    const t = ms("2024-01-05T10:00:00Z");
    expect(gapsBetween(t, t + MINUTE, Timeframe.M1, ALWAYS_OPEN)).toEqual([]);
    expect(gapsBetween(t, t + MINUTE, Timeframe.M1, fx)).toEqual([]);
  });

  it("reports every missing slot of an always-open market as one run", () => {
    expect(gapsBetween(ms("2024-01-05T10:00:00Z"), ms("2024-01-05T10:04:00Z"), Timeframe.M1, ALWAYS_OPEN)).toEqual([
      gap("2024-01-05T10:01:00Z", "2024-01-05T10:03:00Z", 3),
    ]);
  });

  it("answers a year of missing 1m bars in O(1) for ALWAYS_OPEN", () => {
    const from = ms("2023-01-01T00:00:00Z");
    expect(gapsBetween(from, from + 365 * DAY, Timeframe.M1, ALWAYS_OPEN)).toEqual([
      { firstMissingOpenTime: from + MINUTE, lastMissingOpenTime: from + 365 * DAY - MINUTE, missingBars: 365 * 1440 - 1 },
    ]);
  });

  it("skips an FX weekend of 1m bars", () => {
    // Last minute before the Friday 17:00 New York close, first minute after the Sunday 17:00 open (EST).
    expect(gapsBetween(ms("2024-01-05T21:59:00Z"), ms("2024-01-07T22:00:00Z"), Timeframe.M1, fx)).toEqual([]);
  });

  it("splits missing trading slots on both sides of a weekend into two gaps", () => {
    expect(gapsBetween(ms("2024-01-05T21:50:00Z"), ms("2024-01-07T22:05:00Z"), Timeframe.M1, fx)).toEqual([
      gap("2024-01-05T21:51:00Z", "2024-01-05T21:59:00Z", 9),
      gap("2024-01-07T22:00:00Z", "2024-01-07T22:04:00Z", 5),
    ]);
  });

  it("reports each missing FX week separately over months of 1m data, in O(weeks)", () => {
    const gaps = gapsBetween(ms("2024-01-05T21:59:00Z"), ms("2024-03-08T21:59:00Z"), Timeframe.M1, fx);
    expect(gaps).toHaveLength(9);
    expect(gaps[0]).toEqual(gap("2024-01-07T22:00:00Z", "2024-01-12T21:59:00Z", 5 * 1440));
  });

  it("counts a daily slot that is open for part of the day (why daily FX bars use the weekdays calendar)", () => {
    // Friday and Monday bars; the FX market opens Sunday 22:00Z, so the Sunday 1d slot should have traded.
    expect(gapsBetween(ms("2024-01-05T00:00:00Z"), ms("2024-01-08T00:00:00Z"), Timeframe.D1, fx)).toEqual([
      gap("2024-01-07T00:00:00Z", "2024-01-07T00:00:00Z", 1),
    ]);
    expect(gapsBetween(ms("2024-01-05T00:00:00Z"), ms("2024-01-08T00:00:00Z"), Timeframe.D1, weekdays)).toEqual([]);
  });

  it("joins missing slots of two sessions when no closed slot lies between them", () => {
    // Closed only Sunday 23:30-24:00 UTC: the 23:00 hour still trades, so the run is unbroken.
    const nearlyAlways = weeklySessionCalendar({ openDay: 1, openTime: "00:00", closeDay: 7, closeTime: "23:30", timeZone: "UTC" });
    expect(gapsBetween(ms("2024-01-07T21:00:00Z"), ms("2024-01-08T01:00:00Z"), Timeframe.H1, nearlyAlways)).toEqual([
      gap("2024-01-07T22:00:00Z", "2024-01-08T00:00:00Z", 3),
    ]);
  });

  it("rejects open times off the grid or out of order", () => {
    const t = ms("2024-01-05T10:00:00Z");
    expect(() => gapsBetween(t + 1, t + HOUR, Timeframe.H1, ALWAYS_OPEN)).toThrow(RangeError);
    expect(() => gapsBetween(t, t - HOUR, Timeframe.H1, ALWAYS_OPEN)).toThrow(RangeError);
  });
});

describe("findGaps", () => {
  it("collects the gaps of every pair, oldest first", () => {
    const t = ms("2024-01-01T00:00:00Z");
    expect(findGaps([t, t + HOUR, t + 3 * HOUR, t + 4 * HOUR, t + 7 * HOUR], Timeframe.H1, ALWAYS_OPEN)).toEqual([
      gap("2024-01-01T02:00:00Z", "2024-01-01T02:00:00Z", 1),
      gap("2024-01-01T05:00:00Z", "2024-01-01T06:00:00Z", 2),
    ]);
  });

  it("finds nothing in an empty or one-bar series", () => {
    expect(findGaps([], Timeframe.M1, ALWAYS_OPEN)).toEqual([]);
    expect(findGaps([0], Timeframe.M1, ALWAYS_OPEN)).toEqual([]);
  });

  it("rejects unsorted, duplicate or off-grid open times", () => {
    expect(() => findGaps([2 * HOUR, HOUR], Timeframe.H1, ALWAYS_OPEN)).toThrow(RangeError);
    expect(() => findGaps([HOUR, HOUR], Timeframe.H1, ALWAYS_OPEN)).toThrow(RangeError);
    expect(() => findGaps([HOUR + 1, 2 * HOUR + 1], Timeframe.H1, ALWAYS_OPEN)).toThrow(RangeError);
  });
});

describe("findGaps on the real market data (see /work/shared/data/SOURCES.md)", () => {
  it("BTCUSDT-1m-2021-04: the two Binance maintenance gaps, 434 minutes", () => {
    const gaps = findGaps(openTimesOf("BTCUSDT-1m-2021-04.csv"), Timeframe.M1, ALWAYS_OPEN);
    expect(gaps).toEqual([
      gap("2021-04-20T02:00:00Z", "2021-04-20T04:29:00Z", 150),
      gap("2021-04-25T04:01:00Z", "2021-04-25T08:44:00Z", 284),
    ]);
    expect(countMissingBars(gaps)).toBe(434);
  });

  it.each(["BTCUSDT-1m.csv", "ETHUSDT-1m.csv", "SOLUSDT-1m-2025-01.csv"])("%s has no gap", (file) => {
    expect(findGaps(openTimesOf(file), Timeframe.M1, ALWAYS_OPEN)).toEqual([]);
  });

  it.each(["BTCUSDT-1h.csv", "ETHUSDT-1h.csv"])("%s misses the 13:00 hour of the 2023-03-24 Binance outage", (file) => {
    expect(findGaps(openTimesOf(file), Timeframe.H1, ALWAYS_OPEN)).toEqual([
      gap("2023-03-24T13:00:00Z", "2023-03-24T13:00:00Z", 1),
    ]);
  });

  describe("EURUSD-1h with the weekdays calendar (broker server time stored as UTC)", () => {
    let gaps: Gap[] = [];
    let fridayLastHours: Gap[] = [];
    beforeAll(() => {
      gaps = findGaps(openTimesOf("EURUSD-1h.csv"), Timeframe.H1, weekdays);
      fridayLastHours = gaps.filter(
        (g) => g.missingBars === 1 && isoDay(g.firstMissingOpenTime) === 5 && new Date(g.firstMissingOpenTime).getUTCHours() === 23,
      );
    });

    it("counts no weekend slot", () => {
      for (const g of gaps) {
        for (let t = g.firstMissingOpenTime; t <= g.lastMissingOpenTime; t += HOUR) {
          expect([0, 6]).not.toContain(isoDay(t));
        }
      }
    });

    it("finds 41 gaps, 334 missing hours on trading days", () => {
      expect(gaps).toHaveLength(41);
      expect(countMissingBars(gaps)).toBe(334);
    });

    it("of which 26 are the Friday 23:00 hour of weeks when US and EU summer time disagree", () => {
      // The broker closes at 17:00 New York = 23:00 server time in those weeks (mid/late March, late Oct/early Nov).
      expect(fridayLastHours).toHaveLength(26);
      for (const g of fridayLastHours) {
        expect([2, 9, 10]).toContain(new Date(g.firstMissingOpenTime).getUTCMonth());
      }
    });

    it("and the rest are holidays and two single missing hours", () => {
      const others = gaps.filter((g) => !fridayLastHours.includes(g));
      expect(others).toHaveLength(15);
      expect(others).toContainEqual(gap("2017-12-25T00:00:00Z", "2017-12-26T05:00:00Z", 30));
      expect(others).toContainEqual(gap("2016-12-26T19:00:00Z", "2016-12-26T19:00:00Z", 1));
      expect(others).toContainEqual(gap("2021-01-21T17:00:00Z", "2021-01-21T17:00:00Z", 1));
    });
  });

  it("EURUSD-1d with the weekdays calendar: 23 holiday closures and the 2009-10-01 hole, no weekend", () => {
    const gaps = findGaps(openTimesOf("EURUSD-1d.csv"), Timeframe.D1, weekdays);
    expect(gaps).toHaveLength(24);
    expect(gaps.every((g) => g.missingBars === 1)).toBe(true);
    const days = gaps.map((g) => new Date(g.firstMissingOpenTime).toISOString().slice(5, 10));
    expect(days.filter((day) => day === "12-25" || day === "01-01")).toHaveLength(23);
    expect(gaps).toContainEqual(gap("2009-10-01T00:00:00Z", "2009-10-01T00:00:00Z", 1));
  });

  it("SPY-1d with the weekdays calendar: the 189 longer closures, no weekend", () => {
    const gaps = findGaps(openTimesOf("SPY-1d.csv"), Timeframe.D1, weekdays);
    expect(gaps).toHaveLength(189);
    expect(gaps).toContainEqual(gap("2001-09-11T00:00:00Z", "2001-09-14T00:00:00Z", 4));
    expect(gaps.every((g) => isoDay(g.firstMissingOpenTime) !== 0 && isoDay(g.firstMissingOpenTime) !== 6)).toBe(true);
  });
});
