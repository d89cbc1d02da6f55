import { getHolidays } from "nyse-holidays";
import { badUserInput } from "./errors";

/**
 * Which days a market is closed besides its weekly session. Inside the program always this enum; the values are
 * the names used at the boundaries (CLI `--holidays`, the instrument table).
 */
export enum HolidayCalendar {
  /** No holidays (crypto, or a session whose closures are unknown: missing days are then reported as gaps). */
  NONE = "NONE",
  /** The New York Stock Exchange's full-day closures: its holidays and its special closures (9/11, funerals, storms). */
  NYSE = "NYSE",
  /** The interbank FX market's year-end closures: December 25 and January 1. */
  FX = "FX",
}

/** A full trading day a market is closed, in the local dates of its session's time zone. */
export interface Closure {
  /** "YYYY-MM-DD". */
  readonly date: string;
  /** Why, e.g. "NYSE holiday: Thanksgiving Day" or "configured closure: exchange outage". */
  readonly reason: string;
}

/**
 * NYSE closures that are not recurring holidays (nyse-holidays computes the holidays by their rules), from the
 * exchange's announcements (NYSE "Holidays & Trading Hours", historical closings).
 */
const NYSE_SPECIAL_CLOSURES: readonly Closure[] = [
  { date: "2001-09-11", reason: "NYSE closed: September 11 attacks" },
  { date: "2001-09-12", reason: "NYSE closed: September 11 attacks" },
  { date: "2001-09-13", reason: "NYSE closed: September 11 attacks" },
  { date: "2001-09-14", reason: "NYSE closed: September 11 attacks" },
  { date: "2004-06-11", reason: "NYSE closed: national day of mourning for President Reagan" },
  { date: "2007-01-02", reason: "NYSE closed: national day of mourning for President Ford" },
  { date: "2012-10-29", reason: "NYSE closed: Hurricane Sandy" },
  { date: "2012-10-30", reason: "NYSE closed: Hurricane Sandy" },
  { date: "2018-12-05", reason: "NYSE closed: national day of mourning for President George H. W. Bush" },
  { date: "2025-01-09", reason: "NYSE closed: national day of mourning for President Carter" },
];

const nyseByYear = new Map<number, ReadonlyMap<string, string>>();

/** The NYSE closures of one year, by date (computed once per year). */
function nyseClosures(year: number): ReadonlyMap<string, string> {
  let closures = nyseByYear.get(year);
  if (closures === undefined) {
    const entries: [string, string][] = getHolidays(year).map((holiday) => [holiday.dateString, `NYSE holiday: ${holiday.name}`]);
    for (const special of NYSE_SPECIAL_CLOSURES) if (special.date.startsWith(`${year}-`)) entries.push([special.date, special.reason]);
    closures = new Map(entries);
    nyseByYear.set(year, closures);
  }
  return closures;
}

/**
 * Why `holidays` closes the market on local date `date` ("YYYY-MM-DD"), or undefined when it does not.
 */
export function holidayOn(holidays: HolidayCalendar, date: string): string | undefined {
  switch (holidays) {
    case HolidayCalendar.NONE:
      return undefined;
    case HolidayCalendar.NYSE:
      return nyseClosures(Number(date.slice(0, 4))).get(date);
    case HolidayCalendar.FX:
      return date.endsWith("-12-25") ? "FX year-end closure: Christmas Day" : date.endsWith("-01-01") ? "FX year-end closure: New Year's Day" : undefined;
  }
}

/**
 * A holiday calendar from its boundary name ("none", "nyse", "fx"; case-insensitive).
 * @throws DomainError BAD_USER_INPUT listing the names
 */
export function parseHolidayCalendar(text: string): HolidayCalendar {
  const value = text.trim().toUpperCase();
  if (!(Object.values(HolidayCalendar) as string[]).includes(value)) {
    throw badUserInput(`Unknown holiday calendar "${text.slice(0, 20)}". Use none, nyse or fx.`);
  }
  return value as HolidayCalendar;
}
