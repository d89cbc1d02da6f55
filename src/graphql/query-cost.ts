import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import type { Timeframe } from "../domain/timeframe";
import type { IndicatorSpec } from "../features/indicator-query.service";
import { queryTooComplex } from "./query-limits";
import { barPageCost, featureFrameCost, indicatorsCost, ingestCost, latestFeaturesCost } from "../features/query-cost";

/** Arguments of a field as graphql-js coerced them (dates as Date, enums as their internal value). */
type FieldArguments = Record<string, unknown>;

/** The fields that cost something, by `<parent type>.<field>`, and their cost (features/query-cost.ts). */
const FIELD_COSTS: Readonly<Record<string, (args: FieldArguments) => number>> = {
  "Query.indicators": (args) => indicatorsCost(rangeOf(args), args.timeframe as Timeframe, specsOf(args.specs)),
  "Query.features": (args) => featureFrameCost(rangeOf(args), args.timeframe as Timeframe, listLength(args.features)),
  "Query.series": (args) => featureFrameCost(rangeOf(args), args.timeframe as Timeframe, listLength(args.features)),
  "Query.bars": (args) => barPageCost(args.first as number | null | undefined),
  "Query.latestFeatures": (args) => latestFeaturesCost(listLength(args.symbols), listLength(args.features)),
  "Subscription.featureUpdates": (args) => latestFeaturesCost(listLength(args.symbols), listLength(args.features)),
  // One bar per event with a value per feature, as latestFeatures has one per symbol.
  "Query.pointInTimeFeatures": (args) => latestFeaturesCost(listLength(args.events), listLength(args.features)),
  "Mutation.ingestBars": (args) => ingestCost(listLength(args.bars)),
};

/** A field in FIELD_COSTS costs its own figure (its selection adds nothing); any other field what its children cost. */
const candelaEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) =>
  FIELD_COSTS[`${type.name}.${field.name}`]?.(args) ?? childComplexity;

/**
 * The cost of one operation of `document` in bar-values (features/query-cost.ts), every aliased field counted,
 * with its arguments coerced against `variables` (graphql-query-complexity; `@skip`/`@include` honoured).
 * @param operationName the operation to cost; undefined for a document holding one operation
 * @returns the cost, or undefined when `variables` cannot be coerced (execution then reports what is wrong)
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number | undefined {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators: [candelaEstimator], maxQueryNodes: Number.POSITIVE_INFINITY });
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
}

/** The QUERY_TOO_COMPLEX error of an operation costing `cost`, over the limit `maxCost`. */
export function costLimitExceeded(cost: number, maxCost: number): GraphQLError {
  return queryTooComplex(
    "maxCost",
    maxCost,
    `Query cost limit of ${maxCost} exceeded, found ${cost} (bars in the requested ranges × (1 + features or specs), plus warm-up bars, summed over every field).`,
  );
}

function rangeOf(args: FieldArguments): { from: number; to: number } {
  return { from: instant(args.from), to: instant(args.to) };
}

function instant(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** The specs as the cost model reads them; a repeated parameter name keeps its last value (execution refuses it). */
function specsOf(value: unknown): IndicatorSpec[] {
  if (!Array.isArray(value)) return [];
  return value.map((spec: { indicator: string; parameters?: { name: string; value: number }[] | null; windows?: number[] | null }) => ({
    indicator: spec.indicator,
    parameters: Object.fromEntries((spec.parameters ?? []).map((parameter) => [parameter.name, parameter.value])),
    windows: spec.windows ?? undefined,
  }));
}
