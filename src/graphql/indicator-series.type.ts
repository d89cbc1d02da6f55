import { Field, Float, Int, ObjectType } from "type-graphql";
import type { IndicatorQueryResult, IndicatorSpecResult } from "../features/indicator-query.service";
import { WARMUP_TOLERANCE } from "../features/indicator-query.service";
import { MAX_INDICATOR_WARMUP_BARS } from "../features/query-limits";
import { Timeframe } from "./timeframe.enum";

/** Description shared by every frame that may hold aggregated bars. */
export const INCOMPLETE_OPEN_TIMES =
  "Open times of bars aggregated from a finer stored timeframe with source bars missing inside them (a gap): their values are " +
  "computed from the bars present, never filled. Empty for stored timeframes.";

@ObjectType("ParameterValue", { description: "A resolved parameter value (defaults filled in)." })
export class ParameterValueType {
  @Field(() => String, { description: "Parameter name." })
  name!: string;

  @Field(() => Float, { description: "Value used." })
  value!: number;
}

@ObjectType("IndicatorOutputValues", { description: "One output column, aligned with `IndicatorSeries.openTimes`." })
export class IndicatorOutputValuesType {
  @Field(() => String, { description: 'Output name, e.g. "histogram".' })
  name!: string;

  @Field(() => [Float], { nullable: "items", description: "One value per open time; null where undefined (before the lookback)." })
  values!: (number | null)[];
}

@ObjectType("IndicatorResult", { description: "The values of one indicator spec and how much history backed them." })
export class IndicatorResultType {
  @Field(() => String, { description: "Indicator id." })
  indicator!: string;

  @Field(() => String, { description: 'Short label of the spec, its parameter values in the indicator\'s order, e.g. "rsi(14)", "macd(12,26,9)"; `parameters` names them.' })
  label!: string;

  @Field(() => [ParameterValueType], { description: "All parameter values used, defaults included." })
  parameters!: ParameterValueType[];

  @Field(() => [IndicatorOutputValuesType], { description: "The requested outputs." })
  outputs!: IndicatorOutputValuesType[];

  @Field(() => Int, { description: "Index of the first defined value on a series that starts at its first bar (TA-Lib lookback)." })
  lookback!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      `Bars needed before a row for its value to be within ${WARMUP_TOLERANCE} (relative) of the full-history value; ` +
      `null when every value depends on the whole stored history (OBV), which is then loaded (at most ${MAX_INDICATOR_WARMUP_BARS} bars before \`from\`).`,
  })
  warmupBarsRequired!: number | null;

  @Field(() => Int, { description: "Bars stored before `from` that this spec's warm-up had: the warm-up loaded, up to its own `warmupBarsRequired` (each spec its own figure)." })
  warmupBarsAvailable!: number;

  @Field(() => Boolean, { description: "True when enough history is stored before `from`: every returned value is final." })
  historySufficient!: boolean;

  @Field(() => Date, {
    nullable: true,
    description: "Open time from which values are within tolerance of full history; null when no returned row is.",
  })
  firstReliableOpenTime!: Date | null;

  @Field(() => String, { nullable: true, description: "Explains an insufficient history; null when history sufficed." })
  note!: string | null;

  static from(result: IndicatorSpecResult, openTimes: Float64Array): IndicatorResultType {
    const parameters = Object.entries(result.parameters).map(([name, value]) => Object.assign(new ParameterValueType(), { name, value }));
    // The field's short form, values in the indicator's parameter order: "macd(12,26,9)"; `parameters` names them.
    const label = `${result.definition.id}(${parameters.map((parameter) => parameter.value).join(",")})`;
    const historySufficient = result.firstReliableRow === 0;
    const firstReliableOpenTime = result.firstReliableRow < openTimes.length ? new Date(openTimes[result.firstReliableRow]) : null;
    return Object.assign(new IndicatorResultType(), {
      indicator: result.definition.id,
      label,
      parameters,
      outputs: result.outputs.map((output) =>
        Object.assign(new IndicatorOutputValuesType(), { name: output.name, values: Array.from(output.values, nullWhenNaN) }),
      ),
      lookback: result.lookback,
      warmupBarsRequired: finiteOrNull(result.warmupBarsRequired),
      warmupBarsAvailable: result.warmupBarsAvailable,
      historySufficient,
      firstReliableOpenTime,
      note: historySufficient ? null : insufficiencyNote(result, label, firstReliableOpenTime),
    });
  }
}

/** Why a spec's history did not suffice, and what to do about it. */
function insufficiencyNote(result: IndicatorSpecResult, label: string, firstReliableOpenTime: Date | null): string {
  if (!Number.isFinite(result.warmupBarsRequired)) {
    return (
      `${label} depends on the whole stored history, but at most ${MAX_INDICATOR_WARMUP_BARS} bars before \`from\` are loaded per request ` +
      "and more are stored: every value is offset by the level reached before them (differences between rows are exact). " +
      "Move `from` closer to the start of the history for full-history values."
    );
  }
  return (
    `Only ${result.warmupBarsAvailable} bars are stored before \`from\`; ${label} needs ${result.warmupBarsRequired}. ` +
    (firstReliableOpenTime === null
      ? "No returned value is final: import more history or move `from` later."
      : `Values before ${firstReliableOpenTime.toISOString()} depend on where the stored history starts.`)
  );
}

@ObjectType("IndicatorSeries", { description: "Indicator values over a range, as columns aligned with `openTimes`." })
export class IndicatorSeriesType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the bars." })
  timeframe!: Timeframe;

  @Field(() => [Date], { description: "Open times (UTC) of the stored bars in [from, to], oldest first." })
  openTimes!: Date[];

  @Field(() => [IndicatorResultType], { description: "One result per requested spec, in request order." })
  results!: IndicatorResultType[];

  @Field(() => [Date], { description: INCOMPLETE_OPEN_TIMES })
  incompleteOpenTimes!: Date[];

  @Field(() => Date, { description: "When the values were computed (UTC)." })
  computedAt!: Date;

  @Field(() => Boolean, {
    description: "True when the database was unavailable and this is the last good answer to the same query (see `computedAt` for its age).",
  })
  stale!: boolean;

  static from(symbol: string, timeframe: Timeframe, result: IndicatorQueryResult): IndicatorSeriesType {
    return Object.assign(new IndicatorSeriesType(), {
      symbol,
      timeframe,
      openTimes: Array.from(result.openTimes, (openTime) => new Date(openTime)),
      results: result.results.map((spec) => IndicatorResultType.from(spec, result.openTimes)),
      incompleteOpenTimes: result.incompleteOpenTimes.map((openTime) => new Date(openTime)),
      computedAt: new Date(result.computedAt),
      stale: false,
    });
  }
}

function nullWhenNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Warm-up sizes cross the boundary as Int, with null for "the whole history". */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
