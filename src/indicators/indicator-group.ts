/**
 * What family an indicator belongs to, for listing and documentation. Inside the program a group is always
 * this enum; the values are the names used at the boundaries.
 */
export enum IndicatorGroup {
  /** Averages and envelopes that follow the price's direction (SMA, EMA, WMA). */
  TREND = "TREND",
  /** Speed and strength of price moves, often bounded oscillators (RSI, MACD, Stochastic, ROC). */
  MOMENTUM = "MOMENTUM",
  /** Size of price moves and ranges (ATR, Bollinger Bands, Donchian Channels). */
  VOLATILITY = "VOLATILITY",
  /** Indicators built on traded volume (OBV). */
  VOLUME = "VOLUME",
  /** Statistics of a window (standard deviation, correlation, regression). */
  STATISTICS = "STATISTICS",
  /** Per-bar transforms of prices (typical price, log return). */
  TRANSFORM = "TRANSFORM",
}
