import type { Pool, PoolClient } from "pg";
import { calendarFromColumns, calendarToColumns, type TradingCalendar, type TradingCalendarColumns } from "../../domain/trading-calendar";

/**
 * Creates the instrument when it is new, with `calendar` (around the clock when undefined); for an existing one,
 * `existing: "replace"` sets `calendar` (when given) and "keep" leaves its calendar as it is.
 * @param queryable a pool, or the client of an open transaction
 * @returns the instrument's calendar after the change
 */
export async function saveInstrumentCalendar(
  queryable: Pool | PoolClient,
  symbol: string,
  calendar: TradingCalendar | undefined,
  existing: "replace" | "keep",
): Promise<TradingCalendar> {
  const columns = calendar === undefined ? undefined : calendarToColumns(calendar);
  const values = [
    symbol,
    columns?.calendarKind ?? "ALWAYS_OPEN",
    columns?.sessionOpenDay ?? null,
    columns?.sessionOpenTime ?? null,
    columns?.sessionCloseDay ?? null,
    columns?.sessionCloseTime ?? null,
    columns?.sessionTimeZone ?? null,
    columns?.holidayCalendar ?? "NONE",
  ];
  await queryable.query(
    `INSERT INTO instrument (symbol, calendar_kind, session_open_day, session_open_time, session_close_day, session_close_time, session_time_zone, holiday_calendar)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (symbol) DO ${
       columns === undefined || existing === "keep"
         ? "NOTHING"
         : `UPDATE SET calendar_kind = excluded.calendar_kind, session_open_day = excluded.session_open_day,
              session_open_time = excluded.session_open_time, session_close_day = excluded.session_close_day,
              session_close_time = excluded.session_close_time, session_time_zone = excluded.session_time_zone,
              holiday_calendar = excluded.holiday_calendar`
     }`,
    values,
  );
  const stored = await queryable.query<TradingCalendarColumns>(
    `SELECT calendar_kind AS "calendarKind", session_open_day AS "sessionOpenDay", session_open_time AS "sessionOpenTime",
            session_close_day AS "sessionCloseDay", session_close_time AS "sessionCloseTime", session_time_zone AS "sessionTimeZone",
            holiday_calendar AS "holidayCalendar"
     FROM instrument WHERE symbol = $1`,
    [symbol],
  );
  return calendarFromColumns(stored.rows[0]);
}
