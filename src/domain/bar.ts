/**
 * One OHLCV bar. `openTime` is the bar's open time in epoch milliseconds (UTC); prices in quote
 * currency, volume in base units (or ticks for FX), all as IEEE-754 doubles.
 */
export interface Bar {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The price or volume column an indicator reads. Values are the column names at the boundary. */
export enum PriceField {
  OPEN = "open",
  HIGH = "high",
  LOW = "low",
  CLOSE = "close",
  VOLUME = "volume",
}

/**
 * A series of bars as columns, oldest first, all of length `length`. `openTime` is epoch milliseconds.
 * The columnar form is what the indicator engine works on.
 */
export interface BarColumns {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Row `row` of `columns` as a Bar. */
export function barAt(columns: BarColumns, row: number): Bar {
  return {
    openTime: columns.openTime[row],
    open: columns.open[row],
    high: columns.high[row],
    low: columns.low[row],
    close: columns.close[row],
    volume: columns.volume[row],
  };
}

/** Rows `start` .. end of `columns`, as views (no copy). */
export function sliceBarColumns(columns: BarColumns, start: number): BarColumns {
  return {
    length: columns.length - start,
    openTime: columns.openTime.subarray(start),
    open: columns.open.subarray(start),
    high: columns.high.subarray(start),
    low: columns.low.subarray(start),
    close: columns.close.subarray(start),
    volume: columns.volume.subarray(start),
  };
}

/** Zero-filled columns for `length` bars, to be written row by row. */
export function allocateBarColumns(length: number): BarColumns {
  return {
    length,
    openTime: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}
