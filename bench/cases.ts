/**
 * The indicators the throughput benchmark measures, with the parameters every implementation uses.
 * `id` is Candela's registry id and also the C harness's kernel name (bench/c/talib-kernels.c).
 */

/** One indicator configuration measured across all implementations. */
export interface BenchCase {
  readonly id: string;
  /** Row label in the table, e.g. "MACD 12/26/9". */
  readonly label: string;
  /** Parameters by Candela's names, passed to resolveParameters. */
  readonly parameters: Readonly<Record<string, number>>;
}

export const CASES: readonly BenchCase[] = [
  { id: "sma", label: "SMA 20", parameters: { period: 20 } },
  { id: "ema", label: "EMA 50", parameters: { period: 50 } },
  { id: "wma", label: "WMA 20", parameters: { period: 20 } },
  { id: "rsi", label: "RSI 14", parameters: { period: 14 } },
  { id: "macd", label: "MACD 12/26/9", parameters: { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 } },
  { id: "bbands", label: "Bollinger 20/2", parameters: { period: 20, standardDeviations: 2 } },
  { id: "atr", label: "ATR 14", parameters: { period: 14 } },
  {
    id: "stoch",
    label: "Stochastic slow 14/3/3",
    parameters: { fastKPeriod: 14, slowKPeriod: 3, slowDPeriod: 3 },
  },
  { id: "obv", label: "OBV", parameters: {} },
  { id: "roc", label: "ROC 10", parameters: { period: 10 } },
];
