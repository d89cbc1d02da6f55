import { MAX_FEATURE_RANGE_BARS, MAX_SERIES_RANGE_BARS } from "../features/query-limits";
import type { IndicatorQueryService } from "../features/indicator-query.service";
import type { FeatureFrameSource } from "../features/ports/feature-frame-source";
import type { QueryResultCache } from "../features/query-result-cache";
import type { FeatureFrameArgs } from "./feature.args";
import { FeatureFrameType, SeriesFrameType } from "./feature-frame.type";
import type { IndicatorsArgs } from "./indicator.args";
import { IndicatorSeriesType } from "./indicator-series.type";
import { toParameterRecord } from "./parameter-values";

/**
 * The responses of the range queries (`indicators`, `features`, `series`), computed through the feature
 * services and cached in their client-facing JSON form by the query result cache (read-through, dropped when
 * the symbol's bars change, the last good answer served `stale` when the database is down). Resolvers call it
 * and do nothing else.
 */
export class QueryResponses {
  constructor(
    private readonly indicatorQueries: Pick<IndicatorQueryService, "compute">,
    private readonly frames: FeatureFrameSource,
    private readonly resultCache: QueryResultCache,
  ) {}

  /**
   * Indicator values over a range, warm-up loaded before `from`.
   * @throws DomainError NOT_FOUND, BAD_USER_INPUT, UNAVAILABLE as IndicatorQueryService.compute
   */
  indicators(args: IndicatorsArgs): Promise<IndicatorSeriesType> {
    const specs = args.specs.map((spec) => ({
      indicator: spec.indicator,
      parameters: toParameterRecord(spec.parameters, spec.indicator),
      output: spec.output ?? undefined,
      windows: spec.windows ?? undefined,
    }));
    const query = { symbol: args.symbol, timeframe: args.timeframe, from: args.from.getTime(), to: args.to.getTime(), specs };
    return this.resultCache.through("indicators", query, args.symbol, args.timeframe, async () =>
      IndicatorSeriesType.from(args.symbol, args.timeframe, await this.indicatorQueries.compute(query)),
    );
  }

  /**
   * Point-in-time feature values over a range (at most MAX_FEATURE_RANGE_BARS bars).
   * @throws DomainError NOT_FOUND, BAD_USER_INPUT, UNAVAILABLE as FeatureFrameSource.retrieve
   */
  features(args: FeatureFrameArgs): Promise<FeatureFrameType> {
    const query = this.frameQuery(args, MAX_FEATURE_RANGE_BARS);
    return this.resultCache.through("features", query, args.symbol, args.timeframe, async () =>
      FeatureFrameType.from(args.symbol, args.timeframe, await this.frames.retrieve(query)),
    );
  }

  /**
   * Bars and feature values as parallel arrays (at most MAX_SERIES_RANGE_BARS bars).
   * @throws DomainError NOT_FOUND, BAD_USER_INPUT, UNAVAILABLE as FeatureFrameSource.retrieve
   */
  series(args: FeatureFrameArgs): Promise<SeriesFrameType> {
    const query = this.frameQuery(args, MAX_SERIES_RANGE_BARS);
    return this.resultCache.through("series", query, args.symbol, args.timeframe, async () =>
      SeriesFrameType.fromSeries(args.symbol, args.timeframe, await this.frames.retrieve(query)),
    );
  }

  private frameQuery(args: FeatureFrameArgs, maxBars: number) {
    return {
      symbol: args.symbol,
      timeframe: args.timeframe,
      from: args.from.getTime(),
      to: args.to.getTime(),
      features: args.features,
      asOf: args.asOf?.getTime(),
      maxBars,
    };
  }
}
