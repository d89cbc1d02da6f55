/**
 * What a relative tolerance on one output (e.g. the 1e-9 of TA-Lib parity and of `warmup`) is relative
 * to. A value v is within tolerance t of a reference r when |v - r| <= t * scale, with scale as below.
 * Each output declares its scale (`OutputSpec.scale`); the warm-up tests and SEED_ERROR_BOUND (warmup.ts)
 * use it.
 */
export enum ToleranceScale {
  /** |r|, the reference value itself: price-valued outputs (averages, bands, ATR), volumes, percentages. */
  VALUE = "VALUE",
  /**
   * The level of the indicator's price input at that row (its first input among open, high, low, close):
   * outputs in the price's unit that cross zero, e.g. MACD's lines (differences of averages), where a
   * tolerance relative to the value itself would demand ever more digits near zero.
   */
  PRICE = "PRICE",
  /** The square of PRICE's level: outputs in price² (variance), which are zero for a flat window. */
  PRICE_SQUARED = "PRICE_SQUARED",
  /** 100: oscillators bounded by 0 and 100 (RSI, Stochastic), whose value says nothing about precision. */
  OSCILLATOR_100 = "OSCILLATOR_100",
  /**
   * A typical bar's volume: the mean volume of the VOLUME_SCALE_BARS bars ending at that row (fewer at the start).
   * For outputs in volume units that cross zero, e.g. the Chaikin oscillator (a difference of averages of a
   * cumulative volume line).
   */
  VOLUME = "VOLUME",
}

/** How many bars the VOLUME scale averages. */
export const VOLUME_SCALE_BARS = 20;
