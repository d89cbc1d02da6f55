import { badUserInput } from "../domain/errors";

/**
 * Bound assumed for the error of a recursive indicator's starting state, in units of the output's
 * declared `ToleranceScale`. A state seeded from a suffix of the history (an SMA seed instead of the
 * full-history value) is off by at most this many times the output's scale (VALUE: the output's magnitude
 * for price-valued outputs; PRICE: the price level for MACD's differences; OSCILLATOR_100: 100). 100 is conservative
 * for real prices: it covers a seed that is 100 times too large, e.g. a volatility seed taken in a crash
 * and decaying into a calm market. Each factor of 10 costs ln(10)/-ln(retention) extra bars (23 for EMA 20).
 */
export const SEED_ERROR_BOUND = 100;

/**
 * Checks a warm-up tolerance.
 * @param relativeTolerance wanted relative agreement with the full-history value, in (0, 1)
 * @throws DomainError BAD_USER_INPUT when it is not a finite number strictly between 0 and 1
 */
export function checkTolerance(relativeTolerance: number): void {
  if (!(relativeTolerance > 0 && relativeTolerance < 1)) {
    throw badUserInput(
      `relativeTolerance must be a number strictly between 0 and 1 (e.g. 1e-9), got ${String(relativeTolerance)}.`,
      { relativeTolerance },
    );
  }
}

/**
 * Warm-up of a finite-window indicator: its value depends only on the last `lookback + 1` bars, so no
 * bars beyond the lookback are needed. Running sums (TA-Lib's algorithms) make the last bits depend on
 * where the sum started: about 1e-12 relative for SMA on real prices, but up to ~1e-7 of the price level
 * for BBANDS on windows of near-zero variance (see bbands.ts); no number of extra bars removes that.
 * @returns `lookback`
 * @throws DomainError BAD_USER_INPUT for a tolerance outside (0, 1)
 */
export function finiteWarmup(lookback: number, relativeTolerance: number): number {
  checkTolerance(relativeTolerance);
  return lookback;
}

/**
 * Warm-up of an indicator whose state decays geometrically (EMA, Wilder smoothing).
 *
 * Formula: a recursion `s[t] = retention * s[t-1] + (1 - retention) * x[t]` carries the error of its
 * starting state multiplied by `retention^n` after n further bars. With that error at most
 * SEED_ERROR_BOUND times the output's scale, n bars suffice once
 * `SEED_ERROR_BOUND * retention^n <= tolerance`, i.e.
 * `n = ceil(ln(tolerance / SEED_ERROR_BOUND) / ln(retention))`.
 * The state is first defined at `lookback`, so the warm-up is `lookback + n`.
 * Examples (tolerance 1e-9): EMA 20 (retention 19/21) 19 + 254 = 273; RSI 14 and ATR 14 (13/14)
 * 14 + 342 = 356; MACD 12/26/9 (25/27) 33 + 330 = 363. Checked on real series in the indicator contract test
 * (it passes there even with SEED_ERROR_BOUND = 1, so 100 leaves two decades of margin).
 *
 * @param lookback index of the first defined output (bars consumed by the seed)
 * @param retention weight of the previous state per bar, in [0, 1): 1 - 2/(period+1) for an EMA,
 *   (period-1)/period for Wilder smoothing; for several chained recursions pass the largest
 * @param relativeTolerance wanted relative agreement with the full-history value, in (0, 1)
 * @returns number of bars before a row needed for its value to be within tolerance
 * @throws DomainError BAD_USER_INPUT for a tolerance outside (0, 1)
 */
export function decayWarmup(lookback: number, retention: number, relativeTolerance: number): number {
  checkTolerance(relativeTolerance);
  if (retention <= 0) return lookback;
  const bars = Math.ceil(Math.log(relativeTolerance / SEED_ERROR_BOUND) / Math.log(retention));
  return lookback + Math.max(0, bars);
}

/**
 * Warm-up of `chain` identical recursions fed one into the next (DEMA: an EMA of an EMA; TEMA: three deep).
 *
 * Formula: the starting error of a chain of m filters with the same retention r decays like n^(m-1) · r^n, not r^n
 * (each stage passes on the previous stage's decaying error and adds its own), so n bars suffice once
 * `SEED_ERROR_BOUND · n^(m-1) · r^n <= tolerance`. The left side decreases from the single recursion's n on (there
 * n · ln(1/r) = ln(SEED_ERROR_BOUND / tolerance), far above m - 1), so n is found by doubling, then bisection.
 * The warm-up is `lookback + n`.
 *
 * @param lookback index of the first defined output
 * @param retention weight of the previous state per bar of each recursion, in [0, 1)
 * @param chain number of recursions in the chain, >= 1 (1 is `decayWarmup`)
 * @param relativeTolerance wanted relative agreement with the full-history value, in (0, 1)
 * @returns number of bars before a row needed for its value to be within tolerance
 * @throws DomainError BAD_USER_INPUT for a tolerance outside (0, 1)
 */
export function chainedDecayWarmup(lookback: number, retention: number, chain: number, relativeTolerance: number): number {
  const single = decayWarmup(0, retention, relativeTolerance);
  if (retention <= 0 || chain <= 1) return lookback + single;
  const excess = (bars: number) => Math.log(SEED_ERROR_BOUND) + (chain - 1) * Math.log(bars) + bars * Math.log(retention) - Math.log(relativeTolerance);
  let low = Math.max(1, single);
  let high = low * 2;
  while (excess(high) > 0) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (excess(middle) > 0) low = middle;
    else high = middle;
  }
  return lookback + high;
}
