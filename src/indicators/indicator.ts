import type { Bar, BarColumns, PriceField } from "../domain/bar";
import type { IndicatorGroup } from "./indicator-group";
import type { IndicatorReference } from "./reference";
import type { SeriesContext } from "./series-context";
import type { ToleranceScale } from "./tolerance-scale";

/** One numeric parameter of an indicator, e.g. `period` with default 14 and bounds [2, 100000]. */
export interface ParameterSpec {
  readonly name: string;
  readonly description: string;
  readonly defaultValue: number;
  /** Inclusive lower bound. */
  readonly minimum: number;
  /** Inclusive upper bound. */
  readonly maximum: number;
  /** True when only whole numbers are accepted (periods). */
  readonly integer: boolean;
}

/** One output column of an indicator, e.g. MACD's `signal`. */
export interface OutputSpec {
  readonly name: string;
  readonly description: string;
  /** What a relative tolerance on this output is relative to (warm-up, reference checks). */
  readonly scale: ToleranceScale;
}

/** Fully resolved parameter values by name (every declared parameter present and within bounds). */
export type IndicatorParameters = Readonly<Record<string, number>>;

/** Parameter values by name as a user gives them: any subset of the declared parameters (defaults fill the rest). */
export type GivenParameters = Readonly<Record<string, number>>;

/**
 * Streaming form of an indicator: O(window) state, one closed bar at a time.
 * Produces exactly the values the batch form produces on the same row.
 */
export interface IndicatorStream {
  /**
   * Feeds the next closed bar (only `openTime` and the fields listed in the indicator's `inputs` are read)
   * and returns its outputs, one number per declared output in declaration order; NaN while undefined.
   * The returned array is owned by the stream and overwritten by the next `update`: copy it to keep it.
   */
  update(bar: StreamInput): Float64Array;
  /**
   * The outputs `update(bar)` would return now (identical, bit for bit), without changing the stream:
   * for a still-forming bar, previewed as often as it changes, while `update` is kept for closed bars.
   * Any number of previews between two updates leaves every later `update` unchanged. The returned array
   * is owned by the stream, distinct from `update`'s, and overwritten by the next `preview`. Costs no more
   * than an `update`.
   */
  preview(bar: StreamInput): Float64Array;
  /** Number of bars fed by `update` so far (previews do not count). */
  readonly count: number;
}

/** The bar a stream reads: open time (epoch ms, UTC) and prices in quote currency, volume in base units. */
export type StreamInput = Bar;

/**
 * What computes values: the part of an indicator's contract that feature computation uses. Every
 * `IndicatorDefinition` is one; a composed computation (an indicator applied to another's output, see
 * composed-indicator.ts) is one too, without the registry's metadata.
 */
export type IndicatorComputation = Pick<
  IndicatorDefinition,
  "id" | "version" | "inputs" | "outputs" | "lookback" | "warmup" | "computeBatch" | "computeBatchInto" | "createStream"
>;

/**
 * The contract every indicator implements ("rows used [i - lookback .. i], written at row i").
 * Indicators are pure: no I/O, no clocks, no randomness. Built by `defineIndicator` (batch.ts) from one
 * module per indicator; everything the shared tests need (reference, tolerance scales, parameter sets) is
 * declared here, so adding an indicator is one module plus one registry line.
 */
export interface IndicatorDefinition {
  /** Stable identifier used in the API, e.g. "rsi" (lower case, unique). */
  readonly id: string;
  /** Human name, e.g. "Relative Strength Index". */
  readonly name: string;
  /** What it measures and how to read it. */
  readonly description: string;
  /** Where the formula comes from and what it matches, e.g. "Wilder 1978; matches TA-Lib TA_RSI". */
  readonly source: string;
  /** Algorithm version: bumped whenever any output value could change. */
  readonly version: number;
  /** The family it belongs to. */
  readonly group: IndicatorGroup;
  readonly parameters: readonly ParameterSpec[];
  /** Bar columns read, e.g. [HIGH, LOW, CLOSE] for ATR. */
  readonly inputs: readonly PriceField[];
  /** Output columns in the order batch and stream return them. */
  readonly outputs: readonly OutputSpec[];
  /**
   * Smallest relative tolerance (on the outputs' scales) at which values computed from different start rows
   * agree, when the algorithm's own rounding drifts with the length of history (running sums of squares);
   * `warmup` holds only at tolerances >= it. Absent when rounding stays far below 1e-9.
   */
  readonly roundingFloor?: number;
  /** What the implementation is checked against: a TA-Lib function or a cited source with worked examples. */
  readonly reference: IndicatorReference;
  /**
   * The parameter sets the shared tests run (contract, stream = batch, reference, warm-up): the defaults
   * (`{}`) first, then sets that reach the parameter bounds and longer windows.
   */
  readonly testCases: readonly GivenParameters[];
  /**
   * Rule for parameters that constrain each other (MACD's fast period below its slow period), run by
   * `resolveParameters` on parameters already complete and individually within bounds.
   * @throws DomainError BAD_USER_INPUT naming the parameters when the combination is invalid
   */
  checkParameters?(parameters: IndicatorParameters): void;
  /** Index of the first defined output row (TA-Lib's lookback): rows before it are NaN. */
  lookback(parameters: IndicatorParameters): number;
  /**
   * Bars needed before a value is within `relativeTolerance` (on each output's `scale`) of the value
   * computed over full history. Equals `lookback` for finite-window indicators; larger for recursive ones
   * (EMA, RSI, ATR, MACD); +Infinity when values depend on the whole history (OBV).
   * @param context the series' timeframe and calendar, for indicators whose warm-up depends on them (a session VWAP
   *   needs the bars of one session: 24 for 1h bars); without it, a bound that holds for every series
   * @throws DomainError BAD_USER_INPUT for a tolerance outside (0, 1)
   */
  warmup(parameters: IndicatorParameters, relativeTolerance: number, context?: SeriesContext): number;
  /**
   * Batch form: one new Float64Array per output (declaration order), each of `columns.length` rows, NaN
   * before the lookback, values in the outputs' units (see `outputs`). Never mutates the inputs.
   * Allocates and then runs `computeBatchInto`, so both give identical values.
   * @param context the series' timeframe and calendar, for session-dependent indicators (see SeriesContext)
   */
  computeBatch(parameters: IndicatorParameters, columns: BarColumns, context?: SeriesContext): Float64Array[];
  /**
   * Batch form into caller-provided columns, for hot paths that reuse buffers (materialization,
   * benchmarks, repeated queries): writes output k (declaration order) into `outputs[k]` rows
   * [0, columns.length): NaN for rows before the lookback (whatever they held), the values from it on.
   * Rows at and beyond `columns.length` are left untouched. Never mutates the inputs.
   * @param parameters output of `resolveParameters`
   * @param columns input bars, oldest first (only `openTime` and the columns in `inputs` are read)
   * @param outputs one Float64Array per declared output, each of length >= columns.length, not
   *   overlapping each other, the input columns or `openTime`
   * @param context the series' timeframe and calendar, for session-dependent indicators (see SeriesContext)
   * @throws RangeError when the number of outputs differs from `outputs.length` of the definition, an
   *   output is shorter than `columns.length` or not a Float64Array, or outputs overlap each other, an
   *   input column or `openTime` (nothing is written then)
   */
  computeBatchInto(parameters: IndicatorParameters, columns: BarColumns, outputs: readonly Float64Array[], context?: SeriesContext): void;
  /**
   * Streaming form from the same implementation as `computeBatch`: fed the same bars (and context), it
   * returns the batch's rows bit for bit.
   * @param context the series' timeframe and calendar, for session-dependent indicators (see SeriesContext)
   */
  createStream(parameters: IndicatorParameters, context?: SeriesContext): IndicatorStream;
}
