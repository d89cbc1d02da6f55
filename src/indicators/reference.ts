import type { Bar, PriceField } from "../domain/bar";
import type { SeriesContext } from "./series-context";

/**
 * What an indicator is checked against, declared as data by its module (indicators/ never imports TA-Lib).
 * The shared tests read it: a TA-Lib function is run through the `talib` package on real series; a cited
 * source comes with its own worked examples.
 */
export type IndicatorReference = TalibReference | CitedReference;

/** Which kind of reference an indicator declares. */
export enum ReferenceKind {
  /** A function of TA-Lib, matched bit for bit. */
  TALIB = "TALIB",
  /** A published definition without a TA-Lib function, with reference values computed independently. */
  CITED = "CITED",
}

/** Input array names of TA-Lib functions as the `talib` package takes them. */
export type TalibInput = "inReal" | "open" | "high" | "low" | "close" | "volume";

/**
 * A TA-Lib function the indicator reproduces, with TA-Lib's operation order (so bit for bit), e.g. for
 * MACD: `{ kind: TALIB, function: "MACD", inputs: { inReal: CLOSE }, options: { optInFastPeriod:
 * "fastPeriod", ... }, outputs: ["outMACD", "outMACDSignal", "outMACDHist"] }`.
 */
export interface TalibReference {
  readonly kind: ReferenceKind.TALIB;
  /** TA-Lib's function name without the TA_ prefix, e.g. "MACD". */
  readonly function: string;
  /** Which of our bar columns feeds each TA-Lib input, e.g. `{ high: HIGH, low: LOW, close: CLOSE }`. */
  readonly inputs: Readonly<Partial<Record<TalibInput, PriceField>>>;
  /** TA-Lib option name to the name of our parameter whose value it takes, e.g. `{ optInTimePeriod: "period" }`. */
  readonly options: Readonly<Record<string, string>>;
  /** TA-Lib options with a fixed value, e.g. `{ optInMAType: 0 }` (0 = SMA). */
  readonly fixedOptions?: Readonly<Record<string, number>>;
  /** TA-Lib's output names, in the order of our outputs. */
  readonly outputs: readonly string[];
  /** Where the function appears in TA-Lib's published regression table, if it does. */
  readonly regtest?: RegtestReference;
  /**
   * Why the values may differ from TA-Lib's in the last bits (they still agree within 1e-9), e.g. a C library
   * function JavaScript does not round the same way; absent when they are bit-identical, as for most.
   */
  readonly lastBitsDiffer?: string;
}

/**
 * How rows of TA-Lib's published regression table (ta_regtest, in
 * shared/data/oracle/ta-lib-regtest/expected.csv) read for this indicator. A row's parameter string such as
 * `fastK=5 slowK=3(SMA) slowD=3(SMA)` or `timePeriod=20 nbDevUp=2 nbDevDn=2 maType=SMA` is a list of
 * `key=number`, optionally with a moving-average type in parentheses, and `maType=TYPE`.
 */
export interface RegtestReference {
  /** The table's function column, e.g. "STOCH". */
  readonly function: string;
  /**
   * Table key to the name of our parameter it sets, e.g. `{ timePeriod: "period" }`. Several keys may set
   * one parameter (BBANDS' nbDevUp and nbDevDn): a row giving them different values is not ours.
   */
  readonly parameters: Readonly<Record<string, string>>;
  /** The only moving-average type we implement, when the function takes one (e.g. "SMA"). */
  readonly movingAverage?: string;
  /** The table's output names, in the order of our outputs, e.g. ["macd", "signal", "hist"]. */
  readonly outputs: readonly string[];
}

/**
 * A published definition (book, article, vendor's documented formula) for an indicator TA-Lib lacks,
 * with worked examples whose expected values were computed independently of the implementation (by
 * hand or from the source's own example).
 */
export interface CitedReference {
  readonly kind: ReferenceKind.CITED;
  /** Author, title and where the definition is published, and which variant is implemented. */
  readonly citation: string;
  /** At least one worked example; together they should cover more than one parameter set. */
  readonly cases: readonly CitedCase[];
}

/** One worked example of a cited reference. */
export interface CitedCase {
  /** Parameters as a user gives them (defaults fill the rest). */
  readonly parameters: Readonly<Record<string, number>>;
  /** The input bars, oldest first; fields the indicator does not read may be left out. */
  readonly bars: readonly Partial<Bar>[];
  /** For session-dependent indicators: the series the bars belong to. */
  readonly context?: SeriesContext;
  /**
   * Expected values by output name, one per bar; null where the output is undefined (before the
   * lookback). Compared within 1e-9 relative to max(1, |expected|).
   */
  readonly expected: Readonly<Record<string, readonly (number | null)[]>>;
}
