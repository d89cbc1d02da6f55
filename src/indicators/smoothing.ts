/**
 * The recursions shared by the exponential indicators. Each is a single expression in TA-Lib's
 * operation order, so every indicator (batch and stream) rounds exactly like TA-Lib.
 */

/**
 * EMA smoothing factor for a period: `2 / (period + 1)` (TA-Lib's PER_TO_K).
 * @param period number of bars, >= 1
 * @returns k in (0, 1]
 */
export function emaFactor(period: number): number {
  return 2 / (period + 1);
}

/**
 * One EMA step as TA-Lib's INT_EMA computes it: `((x - previous) * k) + previous`.
 * @param previous the EMA at the previous bar
 * @param x the input at this bar
 * @param k smoothing factor from `emaFactor`
 */
export function emaNext(previous: number, x: number, k: number): number {
  return (x - previous) * k + previous;
}

/**
 * One step of Wilder's smoothing (RSI's average gain/loss, ATR) as TA-Lib computes it:
 * `((previous * (period - 1)) + x) / period`, i.e. an EMA with k = 1/period.
 * @param previous the smoothed value at the previous bar
 * @param x the input at this bar (a gain, a loss as a positive number, or a true range)
 * @param period Wilder's period in bars, >= 1
 */
export function wilderNext(previous: number, x: number, period: number): number {
  return (previous * (period - 1) + x) / period;
}
