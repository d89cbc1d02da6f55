/**
 * Allocates an output column of `length` rows whose first `lookback` rows are NaN (undefined);
 * the rest are 0 until the indicator writes them.
 * @param length number of rows (the input's length)
 * @param lookback rows before the first defined value
 */
export function outputColumn(length: number, lookback: number): Float64Array {
  const column = new Float64Array(length);
  column.fill(NaN, 0, Math.min(lookback, length));
  return column;
}
