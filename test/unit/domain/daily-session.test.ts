/**
 * dailySessionOf / sessionStart (src/domain/trading-calendar.ts): the daily session an instant belongs to, which
 * anchors session indicators (VWAP): the UTC day around the clock, the weekly open's local time of day every day
 * for a weekly session, across changes of summer time.
 */
import { ALWAYS_OPEN, CALENDAR_PRESETS, dailySessionOf, parseCalendar, sessionStart } from "../../../src/domain/trading-calendar";

const ms = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const iso = (time: number) => new Date(time).toISOString();
const fx = CALENDAR_PRESETS.fx.calendar;

/** [start, end) of the session containing `at`, as ISO strings. */
function sessionAt(calendar: Parameters<typeof dailySessionOf>[0], at: string): [string, string] {
  const { start, end } = dailySessionOf(calendar, ms(at));
  return [iso(start), iso(end)];
}

describe("dailySessionOf", () => {
  it("is the UTC day for an always-open calendar", () => {
    expect(sessionAt(ALWAYS_OPEN, "2025-01-06T21:59:00Z")).toEqual(["2025-01-06T00:00:00.000Z", "2025-01-07T00:00:00.000Z"]);
    expect(sessionAt(ALWAYS_OPEN, "2025-01-07T00:00:00Z")).toEqual(["2025-01-07T00:00:00.000Z", "2025-01-08T00:00:00.000Z"]);
    expect(sessionAt(ALWAYS_OPEN, "1969-12-31T23:00:00Z")).toEqual(["1969-12-31T00:00:00.000Z", "1970-01-01T00:00:00.000Z"]);
  });

  it("opens at 00:00 UTC for the weekdays, fx-broker and nyse presets", () => {
    for (const name of ["weekdays", "fx-broker", "nyse"]) {
      expect(sessionAt(CALENDAR_PRESETS[name].calendar, "2025-01-06T23:00:00Z")).toEqual(["2025-01-06T00:00:00.000Z", "2025-01-07T00:00:00.000Z"]);
    }
  });

  it("opens at 17:00 New York for fx: 22:00 UTC in winter, 21:00 UTC in summer", () => {
    expect(sessionAt(fx, "2025-01-06T21:59:00Z")).toEqual(["2025-01-05T22:00:00.000Z", "2025-01-06T22:00:00.000Z"]);
    expect(sessionAt(fx, "2025-01-06T22:00:00Z")).toEqual(["2025-01-06T22:00:00.000Z", "2025-01-07T22:00:00.000Z"]);
    expect(sessionAt(fx, "2025-07-01T21:00:00Z")).toEqual(["2025-07-01T21:00:00.000Z", "2025-07-02T21:00:00.000Z"]);
    expect(sessionAt(fx, "2025-07-01T20:59:00Z")).toEqual(["2025-06-30T21:00:00.000Z", "2025-07-01T21:00:00.000Z"]);
  });

  it("lasts 23 hours into summer time and 25 hours out of it (fx)", () => {
    // Sunday 2024-03-10 02:00 EST -> 03:00 EDT: the session opened Saturday 17:00 EST ends Sunday 17:00 EDT.
    const spring = dailySessionOf(fx, ms("2024-03-10T12:00:00Z"));
    expect([iso(spring.start), (spring.end - spring.start) / HOUR]).toEqual(["2024-03-09T22:00:00.000Z", 23]);
    // Sunday 2024-11-03 02:00 EDT -> 01:00 EST.
    const autumn = dailySessionOf(fx, ms("2024-11-03T12:00:00Z"));
    expect([iso(autumn.start), (autumn.end - autumn.start) / HOUR]).toEqual(["2024-11-02T21:00:00.000Z", 25]);
  });

  it("keeps the weekly open's time of day every day for a custom session, and the weekend in Friday's session", () => {
    const cash = parseCalendar("Mon 09:30 - Fri 16:00 America/New_York");
    expect(sessionAt(cash, "2025-01-07T14:00:00Z")).toEqual(["2025-01-06T14:30:00.000Z", "2025-01-07T14:30:00.000Z"]);
    expect(sessionAt(cash, "2025-01-07T14:30:00Z")).toEqual(["2025-01-07T14:30:00.000Z", "2025-01-08T14:30:00.000Z"]);
    expect(sessionAt(fx, "2025-01-11T12:00:00Z")).toEqual(["2025-01-10T22:00:00.000Z", "2025-01-11T22:00:00.000Z"]);
  });

  it("contains the instant at every hour of a year of fx, sessions tiling time without gaps", () => {
    let previous = dailySessionOf(fx, ms("2024-01-01T00:00:00Z"));
    for (let time = ms("2024-01-01T00:00:00Z"); time < ms("2025-01-01T00:00:00Z"); time += HOUR) {
      const session = dailySessionOf(fx, time);
      expect(session.start <= time && time < session.end).toBe(true);
      if (session.start !== previous.start) expect(session.start).toBe(previous.end);
      previous = session;
    }
  });

  it("sessionStart is the session's start", () => {
    expect(iso(sessionStart(fx, ms("2025-01-06T21:59:00Z")))).toBe("2025-01-05T22:00:00.000Z");
  });
});
