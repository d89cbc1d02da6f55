import { DateTime, IANAZone } from "luxon";
import { badUserInput } from "./errors";
import { HolidayCalendar, holidayOn, parseHolidayCalendar, type Closure } from "./holidays";

/**
 * When a market trades, so that gap detection can tell a missing bar (data gap) from a closed market.
 * A calendar is a weekly session (or around the clock) minus its closed days: the holidays of its holiday
 * calendar (NYSE, FX year-end) and closures configured for the instrument. Early closes are not modelled.
 */
export enum CalendarKind {
  /** Trades around the clock, every day (crypto). */
  ALWAYS_OPEN = "ALWAYS_OPEN",
  /** Trades continuously from a weekly open to a weekly close in a local time zone (FX, equities). */
  WEEKLY_SESSION = "WEEKLY_SESSION",
}

/**
 * A weekly trading session: the market is open continuously from `openDay openTime` to
 * `closeDay closeTime` each week, both in local wall-clock time of `timeZone` (so DST-aware).
 * When the close comes before the open in the Monday-first week, the session wraps into the next
 * week (FX: Sunday 17:00 → Friday 17:00 America/New_York).
 */
export interface WeeklySession {
  /** ISO weekday of the weekly open: 1 = Monday .. 7 = Sunday. */
  readonly openDay: number;
  /** Local time of the weekly open, "HH:MM" (00:00..23:59). */
  readonly openTime: string;
  /** ISO weekday of the weekly close: 1 = Monday .. 7 = Sunday. */
  readonly closeDay: number;
  /** Local time of the weekly close, "HH:MM" (00:00..23:59); the close instant itself is closed. */
  readonly closeTime: string;
  /** IANA time zone of the session times, e.g. "America/New_York" or "UTC". */
  readonly timeZone: string;
}

/** The full days a market is closed besides its weekly session, as local dates of the session's time zone. */
export interface Closures {
  /** The holidays it observes. */
  readonly holidays: HolidayCalendar;
  /** Further closed dates ("YYYY-MM-DD") with their reasons, configured for the instrument. */
  readonly extra: ReadonlyMap<string, string>;
}

/** A market calendar. Build WEEKLY_SESSION calendars with {@link weeklySessionCalendar} so they are validated. */
export type TradingCalendar = (
  | { readonly kind: CalendarKind.ALWAYS_OPEN }
  | { readonly kind: CalendarKind.WEEKLY_SESSION; readonly session: WeeklySession }
) & { readonly closures: Closures };

/** Closed dates ("YYYY-MM-DD" → reason) configured per symbol (CANDELA_CLOSURES_FILE). */
export type InstrumentClosures = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** No closed days. */
export const NO_CLOSURES: Closures = Object.freeze({ holidays: HolidayCalendar.NONE, extra: new Map<string, string>() });

/**
 * A calendar flattened to the Instrument table's columns (calendarKind, sessionOpenDay, ...);
 * the session columns are null for ALWAYS_OPEN.
 */
export interface TradingCalendarColumns {
  readonly calendarKind: string;
  /** The holiday calendar's name: NONE, NYSE or FX. */
  readonly holidayCalendar: string;
  readonly sessionOpenDay: number | null;
  readonly sessionOpenTime: string | null;
  readonly sessionCloseDay: number | null;
  readonly sessionCloseTime: string | null;
  readonly sessionTimeZone: string | null;
}

/** A half-open UTC time interval [start, end), epoch milliseconds. */
export interface TimeInterval {
  readonly start: number;
  readonly end: number;
}

/** The calendar of a market that never closes. */
export const ALWAYS_OPEN: TradingCalendar = Object.freeze({ kind: CalendarKind.ALWAYS_OPEN, closures: NO_CLOSURES });

/** ISO weekdays 1..7 by name; the first three letters are the short form. */
const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTES_PER_DAY = 1440;

/**
 * Checks a weekly session and returns it unchanged.
 * @throws DomainError BAD_USER_INPUT naming the bad field: a day outside 1..7, a time not "HH:MM"
 *   within 00:00..23:59, an unknown IANA time zone, or an open equal to the close (a market open
 *   all week is the "always" calendar).
 */
export function validateWeeklySession(session: WeeklySession): WeeklySession {
  for (const [field, day] of [["openDay", session.openDay], ["closeDay", session.closeDay]] as const) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw badUserInput(`Session ${field} ${day} is not an ISO weekday: use 1 (Monday) .. 7 (Sunday).`);
    }
  }
  for (const [field, time] of [["openTime", session.openTime], ["closeTime", session.closeTime]] as const) {
    if (!TIME_PATTERN.test(time)) {
      throw badUserInput(`Session ${field} "${time}" is not a local time "HH:MM" between 00:00 and 23:59.`);
    }
  }
  if (!IANAZone.isValidZone(session.timeZone)) {
    throw badUserInput(
      `Session time zone "${session.timeZone}" is not an IANA time zone; use e.g. "UTC" or "America/New_York".`,
    );
  }
  if (weekMinute(session.openDay, session.openTime) === weekMinute(session.closeDay, session.closeTime)) {
    throw badUserInput(
      `Session opens and closes at the same moment (${formatWeeklySession(session)}); ` +
        `for a market that never closes use the "always" calendar.`,
    );
  }
  return session;
}

/**
 * A validated WEEKLY_SESSION calendar.
 * @throws DomainError BAD_USER_INPUT as {@link validateWeeklySession}
 */
export function weeklySessionCalendar(session: WeeklySession, closures: Closures = NO_CLOSURES): TradingCalendar {
  return Object.freeze({ kind: CalendarKind.WEEKLY_SESSION, session: Object.freeze({ ...validateWeeklySession(session) }), closures });
}

/** `calendar` with `holidays` observed and `extra` closed dates ("YYYY-MM-DD" → reason) added. */
export function withClosures(calendar: TradingCalendar, holidays: HolidayCalendar, extra: ReadonlyMap<string, string> = calendar.closures.extra): TradingCalendar {
  return Object.freeze({ ...calendar, closures: Object.freeze({ holidays, extra }) });
}

/** True when the calendar closes on some days besides its weekly session. */
export function hasClosures(calendar: TradingCalendar): boolean {
  return calendar.closures.holidays !== HolidayCalendar.NONE || calendar.closures.extra.size > 0;
}

/** Why the market is closed all of local date `date` ("YYYY-MM-DD" in the session's zone), or undefined when it is not. */
export function closureOn(calendar: TradingCalendar, date: string): string | undefined {
  const configured = calendar.closures.extra.get(date);
  return configured !== undefined ? `configured closure: ${configured}` : holidayOn(calendar.closures.holidays, date);
}

/** The IANA zone whose local dates the calendar's closures are: the session's, UTC around the clock. */
function closureZone(calendar: TradingCalendar): string {
  return calendar.kind === CalendarKind.WEEKLY_SESSION ? calendar.session.timeZone : "UTC";
}

/**
 * The closed days overlapping [fromMs, toMs) (epoch ms UTC), oldest first, each as its local date, reason and UTC
 * span [start, end) (the local day, 23 to 25 hours across a change of summer time). O(days spanned); [] at once
 * when the calendar has no closures.
 */
export function closuresBetween(calendar: TradingCalendar, fromMs: number, toMs: number): (Closure & TimeInterval)[] {
  if (!hasClosures(calendar) || fromMs >= toMs) return [];
  const zone = closureZone(calendar);
  const found: (Closure & TimeInterval)[] = [];
  for (let day = DateTime.fromMillis(fromMs, { zone }).startOf("day"); day.toMillis() < toMs; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    const reason = closureOn(calendar, date);
    if (reason !== undefined) found.push({ date, reason, start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() });
  }
  return found;
}

/** Named calendars offered at the boundaries (CLI, GraphQL), with a one-line description each. */
export const CALENDAR_PRESETS: Readonly<Record<string, { readonly calendar: TradingCalendar; readonly description: string }>> =
  Object.freeze({
    always: { calendar: ALWAYS_OPEN, description: "24/7, crypto" },
    fx: {
      calendar: weeklySessionCalendar(
        { openDay: 7, openTime: "17:00", closeDay: 5, closeTime: "17:00", timeZone: "America/New_York" },
        { holidays: HolidayCalendar.FX, extra: NO_CLOSURES.extra },
      ),
      description: "Sun 17:00 - Fri 17:00 America/New_York with the FX year-end closures (Dec 25, Jan 1), spot FX in true UTC",
    },
    "fx-broker": {
      calendar: weeklySessionCalendar(
        { openDay: 1, openTime: "00:00", closeDay: 6, closeTime: "00:00", timeZone: "UTC" },
        { holidays: HolidayCalendar.FX, extra: NO_CLOSURES.extra },
      ),
      description: "weekdays with the FX year-end closures: FX stamped in broker server time (the EURUSD samples)",
    },
    nyse: {
      calendar: weeklySessionCalendar(
        { openDay: 1, openTime: "00:00", closeDay: 6, closeTime: "00:00", timeZone: "UTC" },
        { holidays: HolidayCalendar.NYSE, extra: NO_CLOSURES.extra },
      ),
      description: "weekdays with the NYSE's holidays and special closures: US equities' daily bars stamped 00:00Z of the trading date (the SPY sample)",
    },
    weekdays: {
      calendar: weeklySessionCalendar({ openDay: 1, openTime: "00:00", closeDay: 6, closeTime: "00:00", timeZone: "UTC" }),
      // The EURUSD samples (MetaTrader, broker server time stored as UTC) trade Mon 00:00 .. Fri 24:00 server time,
      // except in the weeks when US and EU summer time disagree: the 17:00 New York close is then 23:00 server
      // time, and the missing Friday 23:00 bar is reported as a gap (no weekly session in one zone can say so).
      description: "Mon 00:00 - Sat 00:00 UTC, daily stock bars and FX stamped in broker server time",
    },
  });

/**
 * The calendar of a preset name ("always", "fx", "weekdays"; case-insensitive, trimmed).
 * @throws DomainError BAD_USER_INPUT listing the presets
 */
export function parseCalendarPreset(name: string): TradingCalendar {
  const key = name.trim().toLowerCase();
  const preset = Object.hasOwn(CALENDAR_PRESETS, key) ? CALENDAR_PRESETS[key] : undefined;
  if (preset === undefined) {
    const choices = Object.entries(CALENDAR_PRESETS).map(([key, value]) => `${key} (${value.description})`);
    throw badUserInput(`Unknown calendar preset "${name}". Use one of: ${choices.join("; ")}.`);
  }
  return preset.calendar;
}

const SESSION_PATTERN = /^\s*([A-Za-z]+)\s+(\d{1,2}:\d{2})\s*-\s*([A-Za-z]+)\s+(\d{1,2}:\d{2})\s+(\S+)\s*$/;

/**
 * Parses a custom session "Sun 17:00 - Fri 17:00 America/New_York": open day and local time, a dash,
 * close day and local time, then the IANA zone. Days are English names or their first three letters,
 * case-insensitive; times "H:MM" or "HH:MM".
 * @throws DomainError BAD_USER_INPUT with the expected form, or as {@link validateWeeklySession}
 */
export function parseWeeklySession(text: string): WeeklySession {
  const match = SESSION_PATTERN.exec(text);
  if (match === null) {
    throw badUserInput(
      `Cannot read session "${text}". Write "<open day> <HH:MM> - <close day> <HH:MM> <IANA zone>", ` +
        `e.g. "Sun 17:00 - Fri 17:00 America/New_York".`,
    );
  }
  const [, openDay, openTime, closeDay, closeTime, timeZone] = match;
  return validateWeeklySession({
    openDay: parseDay(openDay),
    openTime: openTime.padStart(5, "0"),
    closeDay: parseDay(closeDay),
    closeTime: closeTime.padStart(5, "0"),
    timeZone,
  });
}

/**
 * A calendar from a preset name or a custom session string (see {@link parseWeeklySession}).
 * @throws DomainError BAD_USER_INPUT naming the presets and the session form
 */
export function parseCalendar(text: string): TradingCalendar {
  // Preset names hold no digits; every session string does (its times).
  return /\d/.test(text) ? weeklySessionCalendar(parseWeeklySession(text)) : parseCalendarPreset(text);
}

/** The session in the form {@link parseWeeklySession} reads: "Sun 17:00 - Fri 17:00 America/New_York". */
export function formatWeeklySession(session: WeeklySession): string {
  const day = (isoDay: number) => DAY_NAMES[isoDay - 1]?.slice(0, 3) ?? String(isoDay);
  return `${day(session.openDay)} ${session.openTime} - ${day(session.closeDay)} ${session.closeTime} ${session.timeZone}`;
}

/** The Instrument table's calendar columns for `calendar`. */
export function calendarToColumns(calendar: TradingCalendar): TradingCalendarColumns {
  const session = calendar.kind === CalendarKind.WEEKLY_SESSION ? calendar.session : null;
  return {
    calendarKind: calendar.kind,
    holidayCalendar: calendar.closures.holidays,
    sessionOpenDay: session?.openDay ?? null,
    sessionOpenTime: session?.openTime ?? null,
    sessionCloseDay: session?.closeDay ?? null,
    sessionCloseTime: session?.closeTime ?? null,
    sessionTimeZone: session?.timeZone ?? null,
  };
}

/**
 * The calendar stored in the Instrument table's columns.
 * @throws DomainError BAD_USER_INPUT for an unknown kind, missing session columns, or an invalid session
 */
export function calendarFromColumns(columns: TradingCalendarColumns): TradingCalendar {
  const closures: Closures = { holidays: parseHolidayCalendar(columns.holidayCalendar), extra: NO_CLOSURES.extra };
  if (columns.calendarKind === CalendarKind.ALWAYS_OPEN) {
    return closures.holidays === HolidayCalendar.NONE ? ALWAYS_OPEN : withClosures(ALWAYS_OPEN, closures.holidays);
  }
  if (columns.calendarKind !== CalendarKind.WEEKLY_SESSION) {
    throw badUserInput(
      `Unknown calendar kind "${columns.calendarKind}"; expected ${Object.values(CalendarKind).join(" or ")}.`,
    );
  }
  const { sessionOpenDay, sessionOpenTime, sessionCloseDay, sessionCloseTime, sessionTimeZone } = columns;
  if (
    sessionOpenDay === null ||
    sessionOpenTime === null ||
    sessionCloseDay === null ||
    sessionCloseTime === null ||
    sessionTimeZone === null
  ) {
    throw badUserInput("A WEEKLY_SESSION calendar needs all five session columns (open/close day and time, time zone).");
  }
  return weeklySessionCalendar(
    { openDay: sessionOpenDay, openTime: sessionOpenTime, closeDay: sessionCloseDay, closeTime: sessionCloseTime, timeZone: sessionTimeZone },
    closures,
  );
}

/**
 * The parts of [fromMs, toMs) during which the market is open, oldest first, each clipped to the range
 * (epoch ms UTC, half-open): its weekly session minus its closed days. ALWAYS_OPEN without closures answers in
 * O(1); a weekly session costs O(weeks spanned), closures O(days spanned). Returns [] when fromMs >= toMs.
 */
export function openIntervals(calendar: TradingCalendar, fromMs: number, toMs: number): TimeInterval[] {
  const session = sessionIntervals(calendar, fromMs, toMs);
  return hasClosures(calendar) ? subtract(session, closuresBetween(calendar, fromMs, toMs)) : session;
}

/**
 * The closed days in [fromMs, toMs) on which the weekly session would otherwise have traded (a holiday on a
 * Saturday closes nothing), oldest first: what a gap report skips.
 */
export function closedTradingDays(calendar: TradingCalendar, fromMs: number, toMs: number): Closure[] {
  const session = sessionIntervals(calendar, fromMs, toMs);
  return closuresBetween(calendar, fromMs, toMs)
    .filter((closure) => session.some((interval) => interval.start < closure.end && closure.start < interval.end))
    .map(({ date, reason }) => ({ date, reason }));
}

/** `intervals` minus `holes` (both ascending, non-overlapping among themselves). */
function subtract(intervals: readonly TimeInterval[], holes: readonly TimeInterval[]): TimeInterval[] {
  const result: TimeInterval[] = [];
  let hole = 0;
  for (const interval of intervals) {
    let start = interval.start;
    while (hole < holes.length && holes[hole].end <= start) hole++;
    for (let next = hole; next < holes.length && holes[next].start < interval.end; next++) {
      if (holes[next].start > start) result.push({ start, end: holes[next].start });
      start = Math.max(start, holes[next].end);
    }
    if (start < interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** The weekly session's open parts of [fromMs, toMs), closures aside. */
function sessionIntervals(calendar: TradingCalendar, fromMs: number, toMs: number): TimeInterval[] {
  if (fromMs >= toMs) {
    return [];
  }
  if (calendar.kind === CalendarKind.ALWAYS_OPEN) {
    return [{ start: fromMs, end: toMs }];
  }
  const { session } = calendar;
  const wraps = weekMinute(session.closeDay, session.closeTime) < weekMinute(session.openDay, session.openTime);
  // A session lasts less than a week, so only one opened in the previous local week can still be open at fromMs.
  let weekStart = DateTime.fromMillis(fromMs, { zone: session.timeZone }).startOf("week").minus({ weeks: 1 });
  if (!weekStart.isValid) {
    throw badUserInput(`Session time zone "${session.timeZone}" is not an IANA time zone.`);
  }
  const intervals: TimeInterval[] = [];
  for (;;) {
    const open = localInstant(weekStart, session.openDay, session.openTime);
    if (open >= toMs) {
      return intervals;
    }
    const close = localInstant(wraps ? weekStart.plus({ weeks: 1 }) : weekStart, session.closeDay, session.closeTime);
    if (close > fromMs) {
      intervals.push({ start: Math.max(open, fromMs), end: Math.min(close, toMs) });
    }
    weekStart = weekStart.plus({ weeks: 1 });
  }
}

/**
 * True when the market is open during any part of [openTimeMs, closeTimeMs) (epoch ms UTC), i.e. a bar
 * over that span is expected. O(1) for ALWAYS_OPEN.
 */
export function isTradingSlot(calendar: TradingCalendar, openTimeMs: number, closeTimeMs: number): boolean {
  return calendar.kind === CalendarKind.ALWAYS_OPEN && !hasClosures(calendar)
    ? openTimeMs < closeTimeMs
    : openIntervals(calendar, openTimeMs, closeTimeMs).length > 0;
}

/** Minutes since Monday 00:00 of an ISO weekday and "HH:MM". */
function weekMinute(isoDay: number, time: string): number {
  return (isoDay - 1) * MINUTES_PER_DAY + Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Epoch ms of the local wall-clock `time` on ISO weekday `isoDay` of the week starting at `weekStart` (a Monday 00:00). */
function localInstant(weekStart: DateTime, isoDay: number, time: string): number {
  return weekStart
    .plus({ days: isoDay - 1 })
    .set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3, 5)) })
    .toMillis();
}

/** ISO weekday (1..7) of an English day name or its first three letters, case-insensitive. */
function parseDay(name: string): number {
  const lower = name.toLowerCase();
  const index = DAY_NAMES.findIndex((day) => lower === day.toLowerCase() || lower === day.slice(0, 3).toLowerCase());
  if (index < 0) {
    throw badUserInput(`Unknown weekday "${name}"; use Mon, Tue, Wed, Thu, Fri, Sat or Sun.`);
  }
  return index + 1;
}

const DAY_MS = 86_400_000;

/**
 * The daily session containing instant `timeMs` (epoch ms UTC): [start, end), where start is the latest daily
 * session open at or before `timeMs` and end the next one. A daily session opens every day at the calendar's weekly
 * open time of day (`session.openTime`) in its time zone (`session.timeZone`), so DST-aware: the `fx` preset's
 * sessions open at 17:00 America/New_York (22:00 or 21:00 UTC) and last 23 to 25 hours across a change of summer time;
 * `weekdays`, `fx-broker` and `nyse` open at 00:00 UTC. ALWAYS_OPEN calendars (crypto) use the UTC day. Weekly
 * closes and closed days are not skipped: a session simply has no bars while the market is closed (the Friday 17:00
 * `fx` session has none until the Sunday 17:00 open starts the next one). A bar belongs to the session containing
 * its open time. Used to anchor session indicators (VWAP). O(1); luxon's zone arithmetic for zones other than "UTC".
 * @returns the session's start <= timeMs < end, epoch ms
 */
export function dailySessionOf(calendar: TradingCalendar, timeMs: number): TimeInterval {
  if (calendar.kind === CalendarKind.ALWAYS_OPEN) {
    const start = Math.floor(timeMs / DAY_MS) * DAY_MS;
    return { start, end: start + DAY_MS };
  }
  const { openTime, timeZone } = calendar.session;
  const hour = Number(openTime.slice(0, 2));
  const minute = Number(openTime.slice(3, 5));
  if (timeZone === "UTC") {
    const offset = (hour * 60 + minute) * 60_000;
    const start = Math.floor((timeMs - offset) / DAY_MS) * DAY_MS + offset;
    return { start, end: start + DAY_MS };
  }
  const day = DateTime.fromMillis(timeMs, { zone: timeZone }).startOf("day");
  if (!day.isValid) {
    throw badUserInput(`Session time zone "${timeZone}" is not an IANA time zone.`);
  }
  // The open on a local date; a time skipped by a change of summer time is moved forward by luxon.
  const openOn = (date: DateTime) => date.set({ hour, minute }).toMillis();
  const today = openOn(day);
  return today <= timeMs ? { start: today, end: openOn(day.plus({ days: 1 })) } : { start: openOn(day.minus({ days: 1 })), end: today };
}

/** The open time (epoch ms) of the daily session containing `timeMs`: `dailySessionOf(calendar, timeMs).start`. */
export function sessionStart(calendar: TradingCalendar, timeMs: number): number {
  return dailySessionOf(calendar, timeMs).start;
}
