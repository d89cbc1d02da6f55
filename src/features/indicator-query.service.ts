import { sliceBarColumns } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import type { Timeframe } from "../domain/timeframe";
import type { IndicatorDefinition, IndicatorParameters } from "../indicators/indicator";
import type { SeriesContext } from "../indicators/series-context";
import { resolveParameters } from "../indicators/parameters";
import { getIndicator } from "../indicators/registry";
import { requireInstrument } from "./instrument-lookup";
import type { MarketDataReader } from "./ports/market-data-reader";
import { expandWindows } from "./indicator-windows";
import { MAX_INDICATOR_RANGE_BARS, MAX_INDICATOR_SPECS, MAX_INDICATOR_WARMUP_BARS, validateRange } from "./query-limits";

/**
 * Relative tolerance used to size the warm-up: a value counts as reliable once the seed's influence on
 * it is below this fraction (the same bound our values keep against TA-Lib).
 */
export const WARMUP_TOLERANCE = 1e-9;

/** One requested indicator: its id, parameter overrides, and optionally the single output wanted. */
export interface IndicatorSpec {
  readonly indicator: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly output?: string;
  /** Several values of `period` at once: the spec is computed once per window (see expandWindows). */
  readonly windows?: readonly number[];
}

/** A request for indicator values of one series over [from, to] (epoch ms, inclusive). */
export interface IndicatorQuery {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from: number;
  readonly to: number;
  readonly specs: readonly IndicatorSpec[];
}

/** One output column, aligned with `IndicatorQueryResult.openTimes`; NaN where undefined. */
export interface OutputColumn {
  readonly name: string;
  readonly values: Float64Array;
}

/** The values of one spec and what the stored history allowed. */
export interface IndicatorSpecResult {
  readonly definition: IndicatorDefinition;
  readonly parameters: IndicatorParameters;
  readonly outputs: readonly OutputColumn[];
  /** Index of the first defined output on a series starting at its first bar (TA-Lib lookback). */
  readonly lookback: number;
  /**
   * Bars of history before a row needed for its value to be within WARMUP_TOLERANCE of full history;
   * Infinity when every value depends on the whole stored history (OBV), which is then loaded, up to
   * MAX_INDICATOR_WARMUP_BARS bars before `from`.
   */
  readonly warmupBarsRequired: number;
  /** Bars stored before `from` this spec's warm-up had: the warm-up bars loaded, up to its own `warmupBarsRequired`. */
  readonly warmupBarsAvailable: number;
  /**
   * Row (index into openTimes) from which values are reliable; 0 when history sufficed,
   * `openTimes.length` when no row of the range is reliable (also for a whole-history indicator when more than
   * MAX_INDICATOR_WARMUP_BARS bars are stored before `from`: its values are then offset by a constant).
   */
  readonly firstReliableRow: number;
}

/** Result of an indicator query: the open times of the bars in range and one result per spec. */
export interface IndicatorQueryResult {
  /** Open times (epoch ms) of the stored bars in [from, to], oldest first. */
  readonly openTimes: Float64Array;
  readonly results: readonly IndicatorSpecResult[];
  /** Open times in range of bars aggregated from a finer timeframe with source bars missing. */
  readonly incompleteOpenTimes: readonly number[];
  /** When the values were computed, epoch ms. */
  readonly computedAt: number;
}

interface PreparedSpec {
  readonly definition: IndicatorDefinition;
  readonly parameters: IndicatorParameters;
  readonly outputIndexes: readonly number[];
  readonly warmupBarsRequired: number;
}

/**
 * Computes indicators over stored bars, loading the warm-up history before `from` itself so that the
 * first returned row already carries its full-history value when enough bars are stored.
 */
export class IndicatorQueryService {
  constructor(
    private readonly reader: MarketDataReader,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * @param query the series, range and specs (at most MAX_INDICATOR_SPECS computations once windows are expanded)
   * @param signal when it aborts, the work stops: the bar read is cancelled, no further spec is computed, and
   *   the call rejects with `signal.reason`
   * @throws DomainError NOT_FOUND for an unknown symbol or indicator; BAD_USER_INPUT for bad parameters,
   *   an unknown output, `from` after `to`, a range over MAX_INDICATOR_RANGE_BARS, or a spec whose warm-up
   *   exceeds MAX_INDICATOR_WARMUP_BARS (checked before any bar is read)
   */
  async compute(query: IndicatorQuery, signal?: AbortSignal): Promise<IndicatorQueryResult> {
    const range = validateRange(query, query.timeframe, MAX_INDICATOR_RANGE_BARS);
    const { calendar } = await requireInstrument(this.reader, query.symbol);
    const context = { timeframe: query.timeframe, calendar };
    const specs = prepareSpecs(query.specs, context);
    const warmupWanted = Math.max(...specs.map((spec) => spec.warmupBarsRequired));
    // A whole-history warm-up asks for one bar more than it keeps, to learn whether the history was longer.
    const read = await this.reader.readColumnsWithWarmup(query.symbol, query.timeframe, range, Math.min(warmupWanted, MAX_INDICATOR_WARMUP_BARS + 1), signal);
    const historyCut = read.warmupBars > MAX_INDICATOR_WARMUP_BARS;
    const columns = historyCut ? sliceBarColumns(read.columns, 1) : read.columns;
    const warmupBars = historyCut ? MAX_INDICATOR_WARMUP_BARS : read.warmupBars;
    const rowCount = columns.length - warmupBars;
    const results = specs.map((spec): IndicatorSpecResult => {
      signal?.throwIfAborted();
      const computed = spec.definition.computeBatch(spec.parameters, columns, context);
      return {
        definition: spec.definition,
        parameters: spec.parameters,
        outputs: spec.outputIndexes.map((index) => ({
          name: spec.definition.outputs[index].name,
          values: computed[index].subarray(warmupBars),
        })),
        lookback: spec.definition.lookback(spec.parameters),
        warmupBarsRequired: spec.warmupBarsRequired,
        warmupBarsAvailable: Math.min(warmupBars, spec.warmupBarsRequired),
        firstReliableRow: Number.isFinite(spec.warmupBarsRequired)
          ? Math.min(rowCount, Math.max(0, spec.warmupBarsRequired - warmupBars))
          : historyCut
            ? rowCount
            : 0,
      };
    });
    return { openTimes: columns.openTime.subarray(warmupBars), results, incompleteOpenTimes: read.incompleteOpenTimes, computedAt: this.clock() };
  }
}

/**
 * Every spec with its windows expanded, in request order.
 * @throws DomainError as expandWindows; BAD_USER_INPUT when more than MAX_INDICATOR_SPECS computations result
 */
export function expandSpecs(specs: readonly IndicatorSpec[]): IndicatorSpec[] {
  const expanded = specs.flatMap((spec) => (spec.windows === undefined ? [spec] : expandWindows(spec, spec.windows)));
  if (expanded.length > MAX_INDICATOR_SPECS) {
    throw badUserInput(`The specs and their windows make ${expanded.length} computations; at most ${MAX_INDICATOR_SPECS} are allowed per request.`);
  }
  return expanded;
}

function prepareSpecs(specs: readonly IndicatorSpec[], context: SeriesContext): PreparedSpec[] {
  return expandSpecs(specs).map((spec) => {
    const definition = getIndicator(spec.indicator);
    const parameters = resolveParameters(definition, spec.parameters);
    const warmupBarsRequired = definition.warmup(parameters, WARMUP_TOLERANCE, context);
    if (Number.isFinite(warmupBarsRequired) && warmupBarsRequired > MAX_INDICATOR_WARMUP_BARS) {
      throw badUserInput(
        `Indicator "${definition.id}" with these parameters needs ${warmupBarsRequired} bars of warm-up before \`from\`; ` +
          `at most ${MAX_INDICATOR_WARMUP_BARS} are loaded per request. Use a shorter period.`,
        { maxWarmupBars: MAX_INDICATOR_WARMUP_BARS, requiredWarmupBars: warmupBarsRequired },
      );
    }
    return { definition, parameters, outputIndexes: selectOutputs(definition, spec.output), warmupBarsRequired };
  });
}

function selectOutputs(definition: IndicatorDefinition, output: string | undefined): number[] {
  if (output === undefined) return definition.outputs.map((_, index) => index);
  const index = definition.outputs.findIndex((candidate) => candidate.name === output);
  if (index < 0) {
    const names = definition.outputs.map((candidate) => candidate.name).join(", ");
    throw badUserInput(`Indicator "${definition.id}" has no output "${output}". Its outputs are: ${names}.`);
  }
  return [index];
}
