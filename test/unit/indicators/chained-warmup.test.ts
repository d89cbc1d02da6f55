/**
 * chainedDecayWarmup: the smallest n with SEED_ERROR_BOUND · n^(m-1) · r^n <= tolerance, checked at the answer and
 * one bar before it, against decayWarmup for a single recursion. (The empirical check on real series, that values
 * after the warm-up agree with full history, is warmup.test.ts, which runs DEMA and TEMA like every indicator.)
 */
import { emaFactor } from "../../../src/indicators/smoothing";
import { chainedDecayWarmup, decayWarmup, SEED_ERROR_BOUND } from "../../../src/indicators/warmup";

const bound = (bars: number, retention: number, chain: number) => SEED_ERROR_BOUND * bars ** (chain - 1) * retention ** bars;

describe("chainedDecayWarmup", () => {
  it.each([
    [2, 2],
    [30, 2],
    [30, 3],
    [1_000, 3],
    [100_000, 2],
  ])("EMA period %d, %d stages: the first n meeting the bound, later than a single EMA", (period, chain) => {
    const retention = 1 - emaFactor(period);
    const lookback = chain * (period - 1);
    const bars = chainedDecayWarmup(lookback, retention, chain, 1e-9) - lookback;
    expect(bound(bars, retention, chain)).toBeLessThanOrEqual(1e-9);
    expect(bound(bars - 1, retention, chain)).toBeGreaterThan(1e-9);
    expect(bars).toBeGreaterThan(decayWarmup(0, retention, 1e-9));
  });

  it("is decayWarmup for one stage", () => {
    expect(chainedDecayWarmup(19, 1 - emaFactor(20), 1, 1e-9)).toBe(decayWarmup(19, 1 - emaFactor(20), 1e-9));
  });
});
