/**
 * Wilder's true range of a bar: the largest of high - low, |previous close - high| and
 * |previous close - low|, compared in TA-Lib's order (TA_TRANGE). Prices in quote currency.
 * @returns the true range, >= 0 for valid bars
 */
export function trueRange(high: number, low: number, previousClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(previousClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(previousClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}
