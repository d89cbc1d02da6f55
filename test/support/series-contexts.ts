/**
 * The series context (timeframe and trading calendar, src/indicators/series-context.ts) of each series the
 * indicator tests run on, so that every shared test passes it to `computeBatch` and `createStream`, as a
 * session-dependent indicator needs.
 */
import { Timeframe } from "../../src/domain/timeframe";
import { ALWAYS_OPEN, CALENDAR_PRESETS } from "../../src/domain/trading-calendar";
import type { SeriesContext } from "../../src/indicators/series-context";
import type { TEST_SERIES } from "./market-data";

const WEEKDAYS = CALENDAR_PRESETS.weekdays.calendar;

/** By file name; EURUSD is stamped in broker server time, hence weekdays rather than the "fx" preset. */
const CONTEXTS: Readonly<Record<(typeof TEST_SERIES)[number], SeriesContext>> = {
  "BTCUSDT-1h.csv": { timeframe: Timeframe.H1, calendar: ALWAYS_OPEN },
  "EURUSD-1h.csv": { timeframe: Timeframe.H1, calendar: WEEKDAYS },
  "SPY-1d.csv": { timeframe: Timeframe.D1, calendar: WEEKDAYS },
  "BTCUSDT-1m.csv": { timeframe: Timeframe.M1, calendar: ALWAYS_OPEN },
};

/** The context of one of the test series. */
export function contextOf(fileName: (typeof TEST_SERIES)[number]): SeriesContext {
  return CONTEXTS[fileName];
}
