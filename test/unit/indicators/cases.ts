/**
 * Parameter sets every indicator test runs: the defaults ({}) plus non-default sets that reach the
 * parameter bounds (period 1 or 2) and longer windows.
 */
export const PARAMETER_CASES: Readonly<Record<string, readonly Readonly<Record<string, number>>[]>> = {
  sma: [{}, { period: 2 }, { period: 50 }, { period: 200 }],
  ema: [{}, { period: 2 }, { period: 50 }, { period: 200 }],
  wma: [{}, { period: 2 }, { period: 30 }],
  rsi: [{}, { period: 2 }, { period: 30 }],
  macd: [{}, { fastPeriod: 5, slowPeriod: 35, signalPeriod: 5 }, { fastPeriod: 2, slowPeriod: 3, signalPeriod: 2 }],
  bbands: [{}, { period: 10, standardDeviations: 1 }, { period: 50, standardDeviations: 2.5 }, { period: 2, standardDeviations: 0.5 }],
  atr: [{}, { period: 1 }, { period: 30 }],
  stoch: [
    {},
    { fastKPeriod: 5, slowKPeriod: 3, slowDPeriod: 4 },
    { fastKPeriod: 1, slowKPeriod: 1, slowDPeriod: 1 },
    { fastKPeriod: 30, slowKPeriod: 5, slowDPeriod: 1 },
  ],
  obv: [{}],
  roc: [{}, { period: 1 }, { period: 50 }],
};
