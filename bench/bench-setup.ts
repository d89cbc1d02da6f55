/** What the database benchmarks share: where they run and the features they register. */

/** A feature a benchmark registers (the `registerFeature` input without its timeframe). */
export interface BenchFeature {
  readonly name: string;
  readonly indicator: string;
  readonly parameters: Record<string, number>;
  readonly output?: string;
}

/**
 * The five features the feature-store benchmarks register: RSI 14, EMA 50, the MACD histogram, the upper Bollinger
 * band, and ATR 14 or OBV (whose value depends on the whole history), named with `prefix` ("cp_rsi_14").
 */
export function fiveFeatures(prefix: string, last: "atr" | "obv"): BenchFeature[] {
  return [
    { name: `${prefix}rsi_14`, indicator: "rsi", parameters: { period: 14 } },
    { name: `${prefix}ema_50`, indicator: "ema", parameters: { period: 50 } },
    { name: `${prefix}macd_hist`, indicator: "macd", parameters: {}, output: "histogram" },
    { name: `${prefix}bb_upper`, indicator: "bbands", parameters: {}, output: "upper" },
    last === "atr" ? { name: `${prefix}atr_14`, indicator: "atr", parameters: { period: 14 } } : { name: `${prefix}obv`, indicator: "obv", parameters: {} },
  ];
}

/**
 * The benchmark database on DATABASE_URL's server (default postgresql://postgres@127.0.0.1:5432): `database` when
 * given, else the one DATABASE_URL names, else `candela_bench`.
 */
export function benchDatabaseUrl(database?: string): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  if (database !== undefined) url.pathname = `/${database}`;
  else if (url.pathname === "/" || url.pathname === "/postgres") url.pathname = "/candela_bench";
  return url.toString();
}
