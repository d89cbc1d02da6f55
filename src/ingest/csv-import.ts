import { createReadStream } from "node:fs";
import type { Timeframe } from "../domain/timeframe";
import type { TradingCalendar } from "../domain/trading-calendar";
import { importBars, type ImportSummary, type RejectedRow } from "./bar-importer";
import { readBarCsv } from "./csv-bar-reader";
import type { BarImportStore } from "./ports/bar-import-store";

/** What to import and how; see {@link importCsvFile}. */
export interface CsvImportRequest {
  readonly file: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly calendar?: TradingCalendar;
  readonly skipInvalid: boolean;
  /** Import even when the open times look like a coarser timeframe's. */
  readonly trustTimeframe?: boolean;
  readonly onProgress?: (rowsRead: number) => void;
  readonly onRejected?: (row: RejectedRow) => void;
  /** Aborting it interrupts the import: the running statement is cancelled and nothing is written. */
  readonly signal?: AbortSignal;
  /** Called with the symbol after the import committed changes (e.g. to drop cached query results). */
  readonly onCommitted?: (symbol: string) => Promise<unknown>;
}

/**
 * Streams a CSV file (header `ts,open,high,low,close,volume` or a Binance kline dump) into the series
 * (symbol, timeframe) in one transaction of `store`. See importBars for validation and idempotency.
 * @throws Error when the file cannot be read, or the database fails (nothing is written then)
 */
export async function importCsvFile(store: BarImportStore, request: CsvImportRequest): Promise<ImportSummary> {
  const stream = createReadStream(request.file);
  // Surface a missing or unreadable file before a transaction is opened.
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  const session = await store.begin(request.symbol, request.timeframe);
  // Interrupted: the statement running now is cancelled, and the file stops being read (so no next one starts).
  const interrupt = () => {
    void session.cancel();
    stream.destroy(new Error("the import was interrupted"));
  };
  request.signal?.addEventListener("abort", interrupt, { once: true });
  try {
    const summary = await importBars(readBarCsv(stream, request.timeframe), session, {
      timeframe: request.timeframe,
      calendar: request.calendar,
      skipInvalid: request.skipInvalid,
      trustTimeframe: request.trustTimeframe,
      onProgress: request.onProgress,
      onRejected: request.onRejected,
    });
    if (summary.committed) await request.onCommitted?.(request.symbol);
    return summary;
  } finally {
    request.signal?.removeEventListener("abort", interrupt);
    stream.destroy();
  }
}
