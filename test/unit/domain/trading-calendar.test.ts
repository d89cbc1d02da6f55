import { DomainError, ErrorCode } from "../../../src/domain/errors";
import {
  NO_CLOSURES,
  ALWAYS_OPEN,
  CALENDAR_PRESETS,
  calendarFromColumns,
  calendarToColumns,
  CalendarKind,
  formatWeeklySession,
  isTradingSlot,
  openIntervals,
  parseCalendar,
  parseCalendarPreset,
  parseWeeklySession,
  validateWeeklySession,
  weeklySessionCalendar,
  WeeklySession,
} from "../../../src/domain/trading-calendar";

const ms = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fx = parseCalendarPreset("fx");
const weekdays = parseCalendarPreset("weekdays");

/** The session of a WEEKLY_SESSION calendar (fails the test for any other kind). */
function sessionOf(calendar: ReturnType<typeof parseCalendar>): WeeklySession {
  if (calendar.kind !== CalendarKind.WEEKLY_SESSION) {
    throw new Error(`expected a weekly session, got ${calendar.kind}`);
  }
  return calendar.session;
}

function badInput(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return error as DomainError;
  }
  throw new Error("expected a BAD_USER_INPUT error");
}

describe("calendar presets", () => {
  it("offers always, fx, fx-broker, nyse and weekdays", () => {
    expect(Object.keys(CALENDAR_PRESETS).sort()).toEqual(["always", "fx", "fx-broker", "nyse", "weekdays"]);
    expect(parseCalendarPreset(" Always ")).toBe(ALWAYS_OPEN);
    expect(formatWeeklySession(sessionOf(fx))).toBe("Sun 17:00 - Fri 17:00 America/New_York");
    expect(formatWeeklySession(sessionOf(weekdays))).toBe("Mon 00:00 - Sat 00:00 UTC");
  });

  it("rejects an unknown preset and lists the presets", () => {
    const error = badInput(() => parseCalendarPreset("lse"));
    expect(error.message).toContain('Unknown calendar preset "lse"');
    expect(error.message).toMatch(/always .*fx .*fx-broker .*nyse .*weekdays/);
    expect(badInput(() => parseCalendarPreset("constructor")).message).toContain("Unknown calendar preset");
  });
});

describe("parseWeeklySession", () => {
  it("reads the FX session", () => {
    expect(parseWeeklySession("Sun 17:00 - Fri 17:00 America/New_York")).toEqual({
      openDay: 7,
      openTime: "17:00",
      closeDay: 5,
      closeTime: "17:00",
      timeZone: "America/New_York",
    });
  });

  it("accepts full day names in any case and one-digit hours", () => {
    expect(parseWeeklySession("monday 9:30-FRIDAY 16:00 Europe/London")).toEqual({
      openDay: 1,
      openTime: "09:30",
      closeDay: 5,
      closeTime: "16:00",
      timeZone: "Europe/London",
    });
  });

  it("round-trips formatWeeklySession", () => {
    const text = "Tue 08:15 - Sat 02:00 Asia/Tokyo";
    expect(formatWeeklySession(parseWeeklySession(text))).toBe(text);
  });

  it.each([
    ["Sun 17:00 America/New_York", "Cannot read session"],
    ["Sun 17:00 - Fri 17:00", "Cannot read session"],
    ["Funday 17:00 - Fri 17:00 UTC", 'Unknown weekday "Funday"'],
    ["Sun 24:00 - Fri 17:00 UTC", 'openTime "24:00"'],
    ["Sun 17:00 - Fri 17:61 UTC", 'closeTime "17:61"'],
    ["Sun 17:00 - Fri 17:00 Mars/Olympus", 'time zone "Mars/Olympus"'],
    ["Sun 17:00 - Sun 17:00 UTC", '"always" calendar'],
  ])("rejects %p with a message naming the problem", (text, expected) => {
    expect(badInput(() => parseWeeklySession(text)).message).toContain(expected);
  });
});

describe("validateWeeklySession", () => {
  const valid: WeeklySession = { openDay: 1, openTime: "00:00", closeDay: 6, closeTime: "00:00", timeZone: "UTC" };

  it("returns a valid session unchanged", () => {
    expect(validateWeeklySession(valid)).toBe(valid);
  });

  it("guards weeklySessionCalendar", () => {
    expect(badInput(() => weeklySessionCalendar({ ...valid, openDay: 9 })).message).toContain("openDay 9");
  });

  it.each([
    [{ openDay: 0 }, "openDay 0 is not an ISO weekday"],
    [{ closeDay: 8 }, "closeDay 8 is not an ISO weekday"],
    [{ openDay: 1.5 }, "openDay 1.5"],
    [{ openTime: "7:00" }, 'openTime "7:00" is not a local time "HH:MM"'],
    [{ timeZone: "EST5" }, 'time zone "EST5"'],
  ])("rejects %p", (change, expected) => {
    expect(badInput(() => validateWeeklySession({ ...valid, ...change })).message).toContain(expected);
  });
});

describe("parseCalendar", () => {
  it("takes a preset name or a custom session", () => {
    expect(parseCalendar("fx")).toBe(fx);
    expect(sessionOf(parseCalendar("Mon 00:00 - Fri 22:00 UTC")).closeDay).toBe(5);
    expect(badInput(() => parseCalendar("crypto")).message).toContain("Use one of");
  });
});

describe("calendar columns", () => {
  it("round-trip both kinds", () => {
    expect(calendarToColumns(ALWAYS_OPEN)).toEqual({
      calendarKind: "ALWAYS_OPEN",
      holidayCalendar: "NONE",
      sessionOpenDay: null,
      sessionOpenTime: null,
      sessionCloseDay: null,
      sessionCloseTime: null,
      sessionTimeZone: null,
    });
    expect(calendarFromColumns(calendarToColumns(ALWAYS_OPEN))).toBe(ALWAYS_OPEN);
    expect(calendarToColumns(fx)).toEqual({
      calendarKind: "WEEKLY_SESSION",
      holidayCalendar: "FX",
      sessionOpenDay: 7,
      sessionOpenTime: "17:00",
      sessionCloseDay: 5,
      sessionCloseTime: "17:00",
      sessionTimeZone: "America/New_York",
    });
    expect(calendarFromColumns(calendarToColumns(fx))).toEqual(fx);
  });

  it("rejects an unknown kind and a session with a missing column", () => {
    expect(badInput(() => calendarFromColumns({ ...calendarToColumns(ALWAYS_OPEN), calendarKind: "NYSE" })).message).toContain(
      'Unknown calendar kind "NYSE"',
    );
    expect(badInput(() => calendarFromColumns({ ...calendarToColumns(fx), sessionTimeZone: null })).message).toContain(
      "all five session columns",
    );
  });
});

describe("isTradingSlot", () => {
  const hourSlot = (iso: string) => [ms(iso), ms(iso) + HOUR] as const;

  it("is always true for ALWAYS_OPEN", () => {
    expect(isTradingSlot(ALWAYS_OPEN, ...hourSlot("2024-01-06T12:00:00Z"))).toBe(true);
  });

  it("follows the FX session in New York winter time (UTC-5)", () => {
    expect(isTradingSlot(fx, ...hourSlot("2024-01-05T21:00:00Z"))).toBe(true); // Fri 16:00 EST
    expect(isTradingSlot(fx, ...hourSlot("2024-01-05T22:00:00Z"))).toBe(false); // Fri 17:00 EST: closed
    expect(isTradingSlot(fx, ...hourSlot("2024-01-06T12:00:00Z"))).toBe(false); // Saturday
    expect(isTradingSlot(fx, ...hourSlot("2024-01-07T21:00:00Z"))).toBe(false); // Sun 16:00 EST
    expect(isTradingSlot(fx, ...hourSlot("2024-01-07T22:00:00Z"))).toBe(true); // Sun 17:00 EST: open
  });

  it("follows the FX session in New York summer time (UTC-4)", () => {
    expect(isTradingSlot(fx, ...hourSlot("2024-07-05T20:00:00Z"))).toBe(true); // Fri 16:00 EDT
    expect(isTradingSlot(fx, ...hourSlot("2024-07-05T21:00:00Z"))).toBe(false); // Fri 17:00 EDT
    expect(isTradingSlot(fx, ...hourSlot("2024-07-07T20:00:00Z"))).toBe(false); // Sun 16:00 EDT
    expect(isTradingSlot(fx, ...hourSlot("2024-07-07T21:00:00Z"))).toBe(true); // Sun 17:00 EDT
  });

  it("counts a slot that is open during only part of it", () => {
    const sunday = ms("2024-01-07T00:00:00Z");
    expect(isTradingSlot(fx, sunday, sunday + DAY)).toBe(true); // opens at 22:00Z
    expect(isTradingSlot(fx, sunday - DAY, sunday)).toBe(false); // Saturday
    const fridayEvening = ms("2024-01-05T21:30:00Z");
    expect(isTradingSlot(fx, fridayEvening, fridayEvening + HOUR)).toBe(true); // closes at 22:00Z
  });

  it("treats the weekdays calendar as Monday 00:00 to Saturday 00:00 UTC", () => {
    expect(isTradingSlot(weekdays, ...hourSlot("2024-01-05T23:00:00Z"))).toBe(true);
    expect(isTradingSlot(weekdays, ...hourSlot("2024-01-06T00:00:00Z"))).toBe(false);
    expect(isTradingSlot(weekdays, ...hourSlot("2024-01-07T23:00:00Z"))).toBe(false);
    expect(isTradingSlot(weekdays, ...hourSlot("2024-01-08T00:00:00Z"))).toBe(true);
  });
});

describe("openIntervals", () => {
  it("returns the whole range for ALWAYS_OPEN and nothing for an empty range", () => {
    expect(openIntervals(ALWAYS_OPEN, 10, 20)).toEqual([{ start: 10, end: 20 }]);
    expect(openIntervals(fx, 20, 20)).toEqual([]);
  });

  it("returns one DST-correct interval per FX session, clipped to the range", () => {
    // US summer time starts Sunday 2024-03-10: that week's open is 17:00 EDT = 21:00Z, the week before 22:00Z.
    const from = ms("2024-03-01T00:00:00Z");
    const to = ms("2024-03-16T00:00:00Z");
    expect(openIntervals(fx, from, to)).toEqual([
      { start: from, end: ms("2024-03-01T22:00:00Z") },
      { start: ms("2024-03-03T22:00:00Z"), end: ms("2024-03-08T22:00:00Z") },
      { start: ms("2024-03-10T21:00:00Z"), end: ms("2024-03-15T21:00:00Z") },
    ]);
  });

  it("validates the zone of a hand-built calendar instead of looping", () => {
    const broken = { kind: CalendarKind.WEEKLY_SESSION, session: { ...sessionOf(fx), timeZone: "Nowhere/Land" }, closures: NO_CLOSURES } as const;
    expect(badInput(() => openIntervals(broken, 0, DAY)).message).toContain("Nowhere/Land");
  });
});
