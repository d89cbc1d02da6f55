/**
 * Batch rolling maximum (sign 1) or minimum (sign −1) of `values[0 .. length)` over windows of `period` rows, the way
 * TA-Lib's MAX/MIN/MIDPRICE/WILLR kernels work: the extreme and its row are kept while that row stays in the window,
 * updated by each new value, and the window is scanned again only when the extreme's row leaves it. Typically O(1) per
 * row with no per-row allocation or queue, far cheaper than a monotonic deque in a batch loop.
 *
 * Equal to `SlidingMaximum` (the streaming form's deque) bit for bit, including its rules: a value not below the kept
 * extreme replaces it (`!(extreme > x)`: equal extremes keep the newest row, a NaN replaces the extreme and the next
 * value replaces the NaN), so the rows written to `rows` are the deque's rows too.
 * @param values input column, oldest first
 * @param length rows to process (values.length may be larger)
 * @param period window length in rows, >= 1
 * @param sign 1 for the maximum, −1 for the minimum
 * @param out receives the extreme at rows [period − 1, length); earlier rows are left untouched
 * @param rows when given, receives the row of each extreme (the newest among equals) at the same rows
 */
export function rollingExtremeColumn(values: Float64Array, length: number, period: number, sign: 1 | -1, out: Float64Array, rows?: Float64Array): void {
  let extreme = NaN;
  let extremeRow = -1;
  for (let i = 0; i < length; i++) {
    const oldest = i - period + 1;
    const x = sign * values[i];
    if (extremeRow < oldest) {
      // The extreme left the window: fold the window again with the same rule.
      extremeRow = oldest;
      extreme = sign * values[oldest];
      for (let j = oldest + 1; j <= i; j++) {
        const candidate = sign * values[j];
        if (!(extreme > candidate)) {
          extreme = candidate;
          extremeRow = j;
        }
      }
    } else if (!(extreme > x)) {
      extreme = x;
      extremeRow = i;
    }
    if (oldest >= 0) {
      out[i] = sign * extreme;
      if (rows !== undefined) rows[i] = extremeRow;
    }
  }
}
