import { Arg, Args, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import { MAX_INDICATOR_RANGE_BARS, MAX_INDICATOR_SPECS } from "../features/query-limits";
import { IndicatorGroup } from "../indicators/indicator-group";
import { getIndicator, INDICATORS } from "../indicators/registry";
import { IndicatorsArgs } from "./indicator.args";
import { IndicatorMetadataType } from "./indicator-metadata.type";
import { IndicatorSeriesType } from "./indicator-series.type";
import type { QueryResponses } from "./query-responses.service";

/** The indicator library and on-demand indicator values over stored bars. */
@Resolver()
export class IndicatorResolver {
  constructor(private readonly responses: QueryResponses) {}

  @Authorized(Scope.READ)
  @Query(() => [IndicatorMetadataType], { description: "Every indicator Candela computes (or those of one group), with parameters, outputs and reference." })
  availableIndicators(
    @Arg("group", () => IndicatorGroup, { nullable: true, description: "Only the indicators of this family." }) group: IndicatorGroup | null | undefined,
  ): IndicatorMetadataType[] {
    return INDICATORS.filter((indicator) => group == null || indicator.group === group).map(IndicatorMetadataType.from);
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
  indicators(@Args(() => IndicatorsArgs) args: IndicatorsArgs): Promise<IndicatorSeriesType> {
    return this.responses.indicators(args);
  }
}
