/**
 * Benchmark input: one million continuous 1m bars synthesized from the real BTCUSDT series.
 *
 * The 50,000-bar CSV in /work/shared/data is concatenated with itself until the target length is
 * reached. Copy 0 is the original; every later copy has its open/high/low/close multiplied by one
 * factor chosen so that its first open equals the previous copy's last close (volume unchanged,
 * open times continue on the 1m grid). So every bar-to-bar return inside a copy is real, the seam
 * between copies is a zero-gap continuation, and no bar is invented.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allocateBarColumns, type BarColumns } from "../src/domain/bar";

/** Where the real series lives: ../shared/data beside the repository. */
export const SOURCE_CSV = join(__dirname, "..", "..", "..", "..", "..", "shared", "data", "BTCUSDT-1m.csv");

const MINUTE_MS = 60_000;

/** The synthesized series plus a one-line account of how it was made. */
export interface BenchSeries {
  readonly columns: BarColumns;
  readonly description: string;
}

/** Parses the `ts,open,high,low,close,volume` CSV into columns (oldest first). */
export function readCsvColumns(path: string): BarColumns {
  const lines = readFileSync(path, "utf8").split("\n");
  const rows = lines.slice(1).filter((line) => line.trim().length > 0);
  const length = rows.length;
  const columns = allocateBarColumns(length);
  rows.forEach((row, i) => {
    const [ts, open, high, low, close, volume] = row.split(",");
    columns.openTime[i] = Date.parse(ts);
    columns.open[i] = Number(open);
    columns.high[i] = Number(high);
    columns.low[i] = Number(low);
    columns.close[i] = Number(close);
    columns.volume[i] = Number(volume);
  });
  return columns;
}

/** Repeats `source` to `targetLength` bars, each copy scaled to start at the previous last close. */
export function synthesizeContinuous(source: BarColumns, targetLength: number): BenchSeries {
  const columns = allocateBarColumns(targetLength);
  const n = source.length;
  const start = source.openTime[0];
  let scale = 1;
  let copies = 0;
  for (let offset = 0; offset < targetLength; offset += n, copies++) {
    if (offset > 0) scale = columns.close[offset - 1] / source.open[0];
    const count = Math.min(n, targetLength - offset);
    for (let j = 0; j < count; j++) {
      const i = offset + j;
      columns.openTime[i] = start + i * MINUTE_MS;
      columns.open[i] = source.open[j] * scale;
      columns.high[i] = source.high[j] * scale;
      columns.low[i] = source.low[j] * scale;
      columns.close[i] = source.close[j] * scale;
      columns.volume[i] = source.volume[j];
    }
  }
  const last = columns.close[targetLength - 1];
  const description =
    `${targetLength.toLocaleString("en-US")} bars = the ${n.toLocaleString("en-US")} real BTCUSDT 1m bars ` +
    `(${SOURCE_CSV}) concatenated ${copies}×; copy k>0 has open/high/low/close multiplied by ` +
    `(last close of copy k-1) / (first open of the original), so each copy opens exactly at the previous ` +
    `copy's last close; volume unchanged; open times continue on the 1m grid. ` +
    `Close goes from ${source.close[0]} to ${last.toPrecision(6)}.`;
  return { columns, description };
}

/**
 * Writes open, high, low, close, volume as five consecutive raw Float64 columns (the C harness's
 * input format; little-endian on every machine we run on).
 */
export function writeColumnsBinary(path: string, columns: BarColumns): void {
  const n = columns.length;
  const all = new Float64Array(5 * n);
  [columns.open, columns.high, columns.low, columns.close, columns.volume].forEach((column, k) =>
    all.set(column, k * n),
  );
  writeFileSync(path, new Uint8Array(all.buffer));
}

/**
 * Reads the five-column binary written by `writeColumnsBinary` back into columns, with open times on the
 * 1m grid from the epoch (the bench's series context is 1m bars on an always-open calendar).
 */
export function readBarsBinary(path: string): BarColumns {
  const bytes = readFileSync(path);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const n = all.length / 5;
  const openTime = new Float64Array(n);
  for (let i = 0; i < n; i++) openTime[i] = i * MINUTE_MS;
  return {
    length: n,
    openTime,
    open: all.subarray(0, n),
    high: all.subarray(n, 2 * n),
    low: all.subarray(2 * n, 3 * n),
    close: all.subarray(3 * n, 4 * n),
    volume: all.subarray(4 * n, 5 * n),
  };
}
