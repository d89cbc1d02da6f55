import { Arg, Authorized, Mutation, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import { badUserInput } from "../domain/errors";
import { featureSetFingerprint } from "../features/feature-definition";
import type { FeatureRegistryService } from "../features/feature-registry.service";
import type { FeatureRetrievalService } from "../features/feature-retrieval.service";
import type { QueryResultCache } from "../features/query-result-cache";
import { MAX_FEATURE_RANGE_BARS, MAX_SERIES_RANGE_BARS } from "../features/query-limits";
import { FeatureDefinitionType, FeatureRegistrationType, FeatureSetType } from "./feature-definition.type";
import { FeatureFrameType, SeriesFrameType } from "./feature-frame.type";
import { RegisterFeatureInput } from "./feature.input";
import { toParameterRecord } from "./parameter-values";
import { Timeframe } from "./timeframe.enum";

const FEATURE_REFERENCES = 'Feature references: "rsi_14" for the latest version or "rsi_14@2" for a fixed one.';

/** Feature definitions and point-in-time feature retrieval. */
@Resolver()
export class FeatureResolver {
  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly retrieval: FeatureRetrievalService,
    private readonly resultCache: QueryResultCache,
  ) {}

  @Authorized(Scope.ADMIN)
  @Mutation(() => FeatureRegistrationType, {
    description:
      "Registers a feature definition. The same definition again returns the existing one (created: false); a changed " +
      "definition under an existing name becomes its next version, and the old version and its stored values stay as they " +
      "were. Needs an API key with the admin scope. Errors: BAD_USER_INPUT (name, parameters, output), NOT_FOUND (indicator), " +
      "UNAUTHENTICATED (no or invalid key), FORBIDDEN (key without admin).",
  })
  async registerFeature(@Arg("input", () => RegisterFeatureInput, { description: "The definition." }) input: RegisterFeatureInput): Promise<FeatureRegistrationType> {
    const result = await this.registry.register({
      name: input.name,
      indicator: input.indicator,
      parameters: toParameterRecord(input.parameters, input.indicator),
      output: input.output ?? undefined,
      timeframe: input.timeframe ?? null,
      description: input.description ?? undefined,
    });
    return Object.assign(new FeatureRegistrationType(), { definition: FeatureDefinitionType.from(result.definition), created: result.created });
  }

  @Authorized(Scope.READ)
  @Query(() => [FeatureDefinitionType], { description: "Every registered feature definition, every version, by name then version." })
  async featureDefinitions(): Promise<FeatureDefinitionType[]> {
    return (await this.registry.list()).map(FeatureDefinitionType.from);
  }

  @Authorized(Scope.READ)
  @Query(() => FeatureSetType, { description: `Resolves a feature set and gives its fingerprint. ${FEATURE_REFERENCES}` })
  async featureSet(@Arg("names", () => [String], { description: FEATURE_REFERENCES }) names: string[]): Promise<FeatureSetType> {
    const definitions = await this.registry.resolve(names);
    return Object.assign(new FeatureSetType(), { features: definitions.map(FeatureDefinitionType.from), fingerprint: featureSetFingerprint(definitions) });
  }

  @Authorized(Scope.READ)
  @Query(() => FeatureFrameType, {
    description:
      "Feature values for the closed bars of one series with open time in [from, to], exactly as a live strategy saw them at " +
      "`asOf`: bars whose close time is after `asOf` are left out. Values come from the offline store where materialized, " +
      `else they are computed from the stored bars and written through. At most ${MAX_FEATURE_RANGE_BARS} bars per request. ` +
      "Errors: NOT_FOUND (symbol, feature), BAD_USER_INPUT (range, references, feature scoped to another timeframe).",
  })
  async features(
    @Arg("symbol", () => String, { description: 'Ticker, e.g. "BTCUSDT".' }) symbol: string,
    @Arg("timeframe", () => Timeframe, { description: "Timeframe of the series." }) timeframe: Timeframe,
    @Arg("from", () => Date, { description: "Earliest open time (UTC, inclusive)." }) from: Date,
    @Arg("to", () => Date, { description: "Latest open time (UTC, inclusive)." }) to: Date,
    @Arg("names", () => [String], { description: FEATURE_REFERENCES }) names: string[],
    @Arg("asOf", () => Date, { nullable: true, description: "Point in time (UTC); default: now." }) asOf: Date | undefined,
  ): Promise<FeatureFrameType> {
    if (names.length === 0) throw badUserInput("Name at least one feature (see `featureDefinitions`).");
    const query = { symbol, timeframe, from: from.getTime(), to: to.getTime(), features: names, asOf: asOf?.getTime(), maxBars: MAX_FEATURE_RANGE_BARS };
    return this.resultCache.through("features", query, symbol, timeframe, async () =>
      FeatureFrameType.from(symbol, timeframe, await this.retrieval.retrieve(query)),
    );
  }

  @Authorized(Scope.READ)
  @Query(() => SeriesFrameType, {
    description:
      "Bars and features of one series as parallel arrays (open times, OHLCV, one array per feature) for training jobs that pull " +
      `many rows; same semantics as \`features\`. At most ${MAX_SERIES_RANGE_BARS} bars per request.`,
  })
  async series(
    @Arg("symbol", () => String, { description: 'Ticker, e.g. "BTCUSDT".' }) symbol: string,
    @Arg("timeframe", () => Timeframe, { description: "Timeframe of the series." }) timeframe: Timeframe,
    @Arg("from", () => Date, { description: "Earliest open time (UTC, inclusive)." }) from: Date,
    @Arg("to", () => Date, { description: "Latest open time (UTC, inclusive)." }) to: Date,
    @Arg("features", () => [String], { defaultValue: [], description: `Features to include (may be empty). ${FEATURE_REFERENCES}` }) features: string[],
    @Arg("asOf", () => Date, { nullable: true, description: "Point in time (UTC); default: now." }) asOf: Date | undefined,
  ): Promise<SeriesFrameType> {
    const query = { symbol, timeframe, from: from.getTime(), to: to.getTime(), features, asOf: asOf?.getTime(), maxBars: MAX_SERIES_RANGE_BARS };
    return this.resultCache.through("series", query, symbol, timeframe, async () =>
      SeriesFrameType.fromSeries(symbol, timeframe, await this.retrieval.retrieve(query)),
    );
  }
}
