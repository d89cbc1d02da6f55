import type { CsvRow } from "./csv-bar-reader";
import { countMissingBars, gapsBetween, type Gap } from "../domain/gaps";
import type { Closure } from "../domain/holidays";
import { closedTradingDays, type TradingCalendar } from "../domain/trading-calendar";
import { badUserInput } from "../domain/errors";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import { TimeframeFit } from "../domain/timeframe-fit";
import { tradingSlotChecker } from "../domain/trading-slots";
import type { BarImportTransaction, StagedBar } from "./ports/bar-import-store";

/** A row of the input file that was not imported, with its 1-based line number and why. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

/** How to import one file into one series. */
export interface ImportOptions {
  readonly timeframe: Timeframe;
  /** Calendar of the instrument; stored when given, else a new instrument trades around the clock. */
  readonly calendar?: TradingCalendar;
  /** Import the valid rows and skip the rest, instead of importing nothing when any row is invalid. */
  readonly skipInvalid: boolean;
  /** Import even when the open times look like a coarser timeframe's (sparse bars of this timeframe). */
  readonly trustTimeframe?: boolean;
  /** Rows staged per database round trip. */
  readonly batchSize?: number;
  /** Called after each staged batch with the number of rows read so far. */
  readonly onProgress?: (rowsRead: number) => void;
  /** Called for every rejected row, as soon as it is known. */
  readonly onRejected?: (row: RejectedRow) => void;
}

/** What an import did. `committed` is false when invalid rows stopped it; then nothing was written. */
export interface ImportSummary {
  readonly rowsRead: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  /** The first MAX_KEPT_REJECTIONS rejected rows, in line order. */
  readonly rejectedRows: readonly RejectedRow[];
  readonly committed: boolean;
  /** Gaps of the whole stored series after the import (none reported when not committed). */
  readonly gaps: readonly Gap[];
  /** Closed days of the instrument's calendar (holidays, configured closures) inside missing stretches: skipped, not gaps. */
  readonly skippedClosures: readonly Closure[];
  /** Valid rows whose bar lies wholly outside the instrument's trading sessions (imported, and reported). */
  readonly outOfSession: number;
  /** The first MAX_KEPT_REJECTIONS of them, in line order: line and open time (epoch ms). */
  readonly outOfSessionRows: readonly { readonly line: number; readonly openTime: number }[];
  readonly missingBars: number;
}

/** How many rejected rows a summary keeps (all are passed to `onRejected`). */
export const MAX_KEPT_REJECTIONS = 1_000;
const DEFAULT_BATCH_SIZE = 5_000;

/**
 * Imports parsed rows into one series through `transaction`, streaming: at most one batch of rows is held
 * in memory. Every row is validated (parsing and bar rules by the reader, duplicate open times here);
 * by default any rejected row rolls the whole import back, with `skipInvalid` the valid rows are imported.
 * A file whose open times look like a coarser timeframe's (TimeframeFit: hourly rows imported as 1m) is refused
 * before anything is written, unless `trustTimeframe`. Rows outside the instrument's trading sessions are imported
 * and counted. Idempotent: the same rows imported twice leave the same stored bars (the second time all `unchanged`).
 * @returns the summary; `committed` tells whether anything was written
 * @throws DomainError BAD_USER_INPUT for a file that does not fit the timeframe; whatever the store throws (the
 *   transaction is rolled back first)
 */
export async function importBars(rows: AsyncIterable<CsvRow>, transaction: BarImportTransaction, options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const rejectedRows: RejectedRow[] = [];
  let rejected = 0;
  const reject = (row: RejectedRow) => {
    rejected++;
    if (rejectedRows.length < MAX_KEPT_REJECTIONS) rejectedRows.push(row);
    options.onRejected?.(row);
  };
  try {
    // The calendar first: rows are checked against it as they stream by (a rejected import rolls this back too).
    const calendar = await transaction.saveInstrument(options.calendar);
    const inSession = tradingSlotChecker(calendar, options.timeframe);
    const fit = new TimeframeFit(options.timeframe);
    const outOfSessionRows: { line: number; openTime: number }[] = [];
    let outOfSession = 0;
    let rowsRead = 0;
    let batch: StagedBar[] = [];
    for await (const row of rows) {
      rowsRead++;
      if ("error" in row) {
        reject({ line: row.line, reason: row.error });
      } else {
        batch.push(row);
        fit.observe(row.bar.openTime);
        if (!inSession(row.bar.openTime)) {
          outOfSession++;
          if (outOfSessionRows.length < MAX_KEPT_REJECTIONS) outOfSessionRows.push({ line: row.line, openTime: row.bar.openTime });
        }
      }
      if (batch.length >= batchSize) {
        await transaction.stage(batch);
        batch = [];
        options.onProgress?.(rowsRead);
      }
    }
    await transaction.stage(batch);
    options.onProgress?.(rowsRead);
    const mismatch = options.trustTimeframe ? undefined : fit.mismatch();
    if (mismatch !== undefined) throw badUserInput(`The file does not fit --timeframe ${timeframeLabel(options.timeframe)}: ${mismatch}`);

    const duplicates = await transaction.duplicateRows();
    for (const duplicate of duplicates) {
      reject({
        line: duplicate.line,
        reason: `duplicate open time ${new Date(duplicate.openTime).toISOString()} (first on line ${duplicate.firstLine})`,
      });
    }
    rejectedRows.sort((a, b) => a.line - b.line);
    const untouched = { outOfSession, outOfSessionRows, gaps: [], skippedClosures: [], missingBars: 0 };
    if (rejected > 0 && !options.skipInvalid) {
      await transaction.rollback();
      return { rowsRead, inserted: 0, updated: 0, unchanged: 0, rejected, rejectedRows, committed: false, ...untouched };
    }
    await transaction.discardLines(duplicates.map((duplicate) => duplicate.line));
    const counts = await transaction.upsert();
    const jumps = await transaction.openTimeJumps();
    const gaps = jumps.flatMap((jump) => gapsBetween(jump.previousOpenTime, jump.nextOpenTime, options.timeframe, calendar));
    const duration = timeframeDurationMs(options.timeframe);
    const skippedClosures = jumps.flatMap((jump) => closedTradingDays(calendar, jump.previousOpenTime + duration, jump.nextOpenTime));
    await transaction.commit();
    return { rowsRead, ...counts, rejected, rejectedRows, committed: true, gaps, skippedClosures, missingBars: countMissingBars(gaps), outOfSession, outOfSessionRows };
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
}
