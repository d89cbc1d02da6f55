import { Arg, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { IndicatorQueryService, IndicatorSpec } from "../features/indicator-query.service";
import type { QueryResultCache } from "../features/query-result-cache";
import { MAX_INDICATOR_RANGE_BARS, MAX_INDICATOR_SPECS } from "../features/query-limits";
import { getIndicator, INDICATORS } from "../indicators/registry";
import { IndicatorMetadataType } from "./indicator-metadata.type";
import { IndicatorSeriesType } from "./indicator-series.type";
import { IndicatorSpecInput } from "./indicator.input";
import { toParameterRecord } from "./parameter-values";
import { Timeframe } from "./timeframe.enum";

/** The indicator library and on-demand indicator values over stored bars. */
@Resolver()
export class IndicatorResolver {
  constructor(
    private readonly indicatorQueries: IndicatorQueryService,
    private readonly resultCache: QueryResultCache,
  ) {}

  @Authorized(Scope.READ)
  @Query(() => [IndicatorMetadataType], { description: "Every indicator Candela computes, with parameters and outputs." })
  availableIndicators(): IndicatorMetadataType[] {
    return INDICATORS.map(IndicatorMetadataType.from);
  }

  @Authorized(Scope.READ)
  @Query(() => IndicatorMetadataType, { description: 'One indicator by id, e.g. "macd". Errors with NOT_FOUND for an unknown id.' })
  indicatorMetadata(@Arg("id", () => String, { description: 'Indicator id, e.g. "rsi".' }) id: string): IndicatorMetadataType {
    return IndicatorMetadataType.from(getIndicator(id));
  }

  @Authorized(Scope.READ)
  @Query(() => IndicatorSeriesType, {
    description:
      "Indicator values for the stored bars of one series with open time in [from, to]. The warm-up history before `from` " +
      "is loaded automatically, so the first row already has its full-history value when enough bars are stored; each " +
      `result says whether history sufficed. At most ${MAX_INDICATOR_SPECS} specs and ${MAX_INDICATOR_RANGE_BARS} bars per request. ` +
      "Errors: NOT_FOUND (unknown symbol or indicator), BAD_USER_INPUT (bad parameter, output, range).",
  })
  async indicators(
    @Arg("symbol", () => String, { description: 'Ticker, e.g. "BTCUSDT".' }) symbol: string,
    @Arg("timeframe", () => Timeframe, { description: "Timeframe of the series." }) timeframe: Timeframe,
    @Arg("from", () => Date, { description: "Earliest open time (UTC, inclusive) to return." }) from: Date,
    @Arg("to", () => Date, { description: "Latest open time (UTC, inclusive) to return." }) to: Date,
    @Arg("specs", () => [IndicatorSpecInput], { description: "Indicators to compute, each with parameters and optionally one output." })
    specs: IndicatorSpecInput[],
  ): Promise<IndicatorSeriesType> {
    const query = { symbol, timeframe, from: from.getTime(), to: to.getTime(), specs: specs.map(toIndicatorSpec) };
    return this.resultCache.through("indicators", query, symbol, timeframe, async () =>
      IndicatorSeriesType.from(symbol, timeframe, await this.indicatorQueries.compute(query)),
    );
  }
}

function toIndicatorSpec(input: IndicatorSpecInput): IndicatorSpec {
  return { indicator: input.indicator, parameters: toParameterRecord(input.parameters, input.indicator), output: input.output ?? undefined };
}
