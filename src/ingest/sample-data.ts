import { existsSync } from "node:fs";
import path from "node:path";
import { Timeframe } from "../domain/timeframe";
import { parseCalendarPreset } from "../domain/trading-calendar";
import type { ImportSummary } from "./bar-importer";
import { importCsvFile } from "./csv-import";
import type { BarImportStore } from "./ports/bar-import-store";

/** One sample series of ../shared/data (see its SOURCES.md) and the calendar preset it trades on. */
export interface SampleSeries {
  readonly file: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly calendarPreset: string;
}

/**
 * The sample series loaded into an empty store. EURUSD and SPY trade on weekdays in the data's own
 * clock (broker server time, and 00:00Z trading dates): EURUSD with the FX year-end closures ("fx-broker"), SPY
 * with the NYSE's holidays ("nyse"), so that closed days stay out of the gap report; crypto trades around the clock.
 */
export const SAMPLE_SERIES: readonly SampleSeries[] = [
  { file: "BTCUSDT-1h.csv", symbol: "BTCUSDT", timeframe: Timeframe.H1, calendarPreset: "always" },
  { file: "BTCUSDT-1m.csv", symbol: "BTCUSDT", timeframe: Timeframe.M1, calendarPreset: "always" },
  { file: "ETHUSDT-1h.csv", symbol: "ETHUSDT", timeframe: Timeframe.H1, calendarPreset: "always" },
  { file: "ETHUSDT-1m.csv", symbol: "ETHUSDT", timeframe: Timeframe.M1, calendarPreset: "always" },
  { file: "SOLUSDT-1m-2025-01.csv", symbol: "SOLUSDT", timeframe: Timeframe.M1, calendarPreset: "always" },
  { file: "EURUSD-1h.csv", symbol: "EURUSD", timeframe: Timeframe.H1, calendarPreset: "fx-broker" },
  { file: "EURUSD-1d.csv", symbol: "EURUSD", timeframe: Timeframe.D1, calendarPreset: "fx-broker" },
  { file: "SPY-1d.csv", symbol: "SPY", timeframe: Timeframe.D1, calendarPreset: "nyse" },
];

/**
 * Imports every sample series found in `directory` (missing files are skipped, so a partial copy works).
 * Rows the validator rejects are skipped and counted, never repaired.
 * @returns each imported series with its summary
 */
export async function loadSampleData(
  store: BarImportStore,
  directory: string,
): Promise<{ series: SampleSeries; summary: ImportSummary }[]> {
  const loaded: { series: SampleSeries; summary: ImportSummary }[] = [];
  for (const series of SAMPLE_SERIES) {
    const file = path.join(directory, series.file);
    if (!existsSync(file)) continue;
    const summary = await importCsvFile(store, {
      file,
      symbol: series.symbol,
      timeframe: series.timeframe,
      calendar: parseCalendarPreset(series.calendarPreset),
      skipInvalid: true,
    });
    loaded.push({ series, summary });
  }
  return loaded;
}
