import * as fs from "fs";
import * as path from "path";
import { allocateBarColumns, type BarColumns } from "../../src/domain/bar";

/** /work/shared/data: this file is <repo>/test/support, the shared folder sits beside the repository. */
export const SHARED_DATA_DIR = path.resolve(__dirname, "../../../shared/data");

const cache = new Map<string, BarColumns>();

/**
 * Loads a CSV of bars from the shared data folder as columns, oldest first.
 * @param fileName path relative to the data folder, e.g. "BTCUSDT-1h.csv" or
 *   "oracle/ta-lib-regtest/daily_ref_0.csv"
 * @returns columns; `openTime` is epoch ms for a `ts` (ISO UTC) first column, the row number for `idx`
 */
export function loadSeries(fileName: string): BarColumns {
  const cached = cache.get(fileName);
  if (cached) return cached;
  const lines = fs.readFileSync(path.join(SHARED_DATA_DIR, fileName), "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const expected = ["open", "high", "low", "close", "volume"];
  if (header.slice(1).join(",") !== expected.join(",")) {
    throw new Error(`${fileName}: unexpected header ${lines[0]}`);
  }
  const isoTime = header[0] === "ts";
  const length = lines.length - 1;
  const columns = allocateBarColumns(length);
  for (let row = 0; row < length; row++) {
    const cells = lines[row + 1].split(",");
    columns.openTime[row] = isoTime ? Date.parse(cells[0]) : Number(cells[0]);
    columns.open[row] = Number(cells[1]);
    columns.high[row] = Number(cells[2]);
    columns.low[row] = Number(cells[3]);
    columns.close[row] = Number(cells[4]);
    columns.volume[row] = Number(cells[5]);
  }
  cache.set(fileName, columns);
  return columns;
}

/**
 * Rows [from, to) of a series as new columns (copies), e.g. to recompute from a later start.
 */
export function sliceSeries(columns: BarColumns, from: number, to: number = columns.length): BarColumns {
  return {
    length: to - from,
    openTime: columns.openTime.slice(from, to),
    open: columns.open.slice(from, to),
    high: columns.high.slice(from, to),
    low: columns.low.slice(from, to),
    close: columns.close.slice(from, to),
    volume: columns.volume.slice(from, to),
  };
}

/** Real series used by the indicator tests: crypto hourly and minute, FX hourly, equity daily. */
export const TEST_SERIES = ["BTCUSDT-1h.csv", "EURUSD-1h.csv", "SPY-1d.csv", "BTCUSDT-1m.csv"] as const;
