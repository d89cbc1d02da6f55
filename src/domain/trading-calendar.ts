import { DateTime, IANAZone } from "luxon";
import { badUserInput } from "./errors";

/**
 * When a market trades, so that gap detection can tell a missing bar (data gap) from a closed market.
 * Calendars know weekly sessions only: public holidays and early closes are not modelled, so a
 * holiday shows up as a gap (reported, never filled), which is the safe side.
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

/** A market calendar. Build WEEKLY_SESSION calendars with {@link weeklySessionCalendar} so they are validated. */
export type TradingCalendar =
  | { readonly kind: CalendarKind.ALWAYS_OPEN }
  | { readonly kind: CalendarKind.WEEKLY_SESSION; readonly session: WeeklySession };

/**
 * A calendar flattened to the Instrument table's columns (calendarKind, sessionOpenDay, ...);
 * the session columns are null for ALWAYS_OPEN.
 */
export interface TradingCalendarColumns {
  readonly calendarKind: string;
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
export const ALWAYS_OPEN: TradingCalendar = Object.freeze({ kind: CalendarKind.ALWAYS_OPEN });

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
export function weeklySessionCalendar(session: WeeklySession): TradingCalendar {
  return Object.freeze({ kind: CalendarKind.WEEKLY_SESSION, session: Object.freeze({ ...validateWeeklySession(session) }) });
}

/** Named calendars offered at the boundaries (CLI, GraphQL), with a one-line description each. */
export const CALENDAR_PRESETS: Readonly<Record<string, { readonly calendar: TradingCalendar; readonly description: string }>> =
  Object.freeze({
    always: { calendar: ALWAYS_OPEN, description: "24/7, crypto" },
    fx: {
      calendar: weeklySessionCalendar({
        openDay: 7,
        openTime: "17:00",
        closeDay: 5,
        closeTime: "17:00",
        timeZone: "America/New_York",
      }),
      description: "Sun 17:00 - Fri 17:00 America/New_York, spot FX in true UTC",
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
  if (columns.calendarKind === CalendarKind.ALWAYS_OPEN) {
    return ALWAYS_OPEN;
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
  return weeklySessionCalendar({
    openDay: sessionOpenDay,
    openTime: sessionOpenTime,
    closeDay: sessionCloseDay,
    closeTime: sessionCloseTime,
    timeZone: sessionTimeZone,
  });
}

/**
 * The parts of [fromMs, toMs) during which the market is open, oldest first, each clipped to the range
 * (epoch ms UTC, half-open). ALWAYS_OPEN answers in O(1); a weekly session costs O(weeks spanned).
 * Returns [] when fromMs >= toMs.
 */
export function openIntervals(calendar: TradingCalendar, fromMs: number, toMs: number): TimeInterval[] {
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
  return calendar.kind === CalendarKind.ALWAYS_OPEN
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
