import { Arg, Args, Authorized, Mutation, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import { featureSetFingerprint } from "../features/feature-definition";
import type { FeatureRegistryService } from "../features/feature-registry.service";
import { MAX_FEATURE_RANGE_BARS, MAX_SERIES_RANGE_BARS } from "../features/query-limits";
import { FEATURE_REFERENCES, FeatureFrameArgs, FeaturesArgs } from "./feature.args";
import { FeatureDefinitionType, FeatureRegistrationType, FeatureSetType } from "./feature-definition.type";
import { FeatureFrameType, SeriesFrameType } from "./feature-frame.type";
import { RegisterFeatureInput } from "./feature.input";
import { toParameterRecord } from "./parameter-values";
import type { QueryResponses } from "./query-responses.service";

/** Feature definitions and point-in-time feature retrieval. */
@Resolver()
export class FeatureResolver {
  constructor(
    private readonly registry: FeatureRegistryService,
    private readonly responses: QueryResponses,
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
      input: input.input ?? undefined,
    });
    return Object.assign(new FeatureRegistrationType(), { definition: FeatureDefinitionType.from(result.definition), created: result.created });
  }

  @Authorized(Scope.READ)
  @Query(() => [FeatureDefinitionType], { description: "Every registered feature definition, every version, by name then version." })
  async featureDefinitions(): Promise<FeatureDefinitionType[]> {
    const [definitions, deprecations] = await Promise.all([this.registry.list(), this.registry.deprecations()]);
    return definitions.map((definition) => FeatureDefinitionType.from(definition, deprecations.get(definition.name)?.reason ?? null));
  }

  @Authorized(Scope.READ)
  @Query(() => FeatureSetType, { description: `Resolves a feature set and gives its fingerprint. ${FEATURE_REFERENCES}` })
  async featureSet(@Args(() => FeaturesArgs) { features }: FeaturesArgs): Promise<FeatureSetType> {
    const definitions = await this.registry.resolve(features);
    return Object.assign(new FeatureSetType(), { features: definitions.map((definition) => FeatureDefinitionType.from(definition)), fingerprint: featureSetFingerprint(definitions) });
  }

  @Authorized(Scope.READ)
  @Query(() => FeatureFrameType, {
    description:
      "Feature values for the closed bars of one series with open time in [from, to], exactly as a live strategy saw them at " +
      "`asOf`: bars whose close time is after `asOf` are left out. Values come from the offline store where materialized, " +
      `else they are computed from the stored bars and written through. At most ${MAX_FEATURE_RANGE_BARS} bars per request. ` +
      "Errors: NOT_FOUND (symbol, feature), BAD_USER_INPUT (range, references, feature scoped to another timeframe).",
  })
  features(@Args(() => FeatureFrameArgs) args: FeatureFrameArgs): Promise<FeatureFrameType> {
    return this.responses.features(args);
  }

  @Authorized(Scope.READ)
  @Query(() => SeriesFrameType, {
    description:
      "Bars and features of one series as parallel arrays (open times, OHLCV, one array per feature) for training jobs that pull " +
      `many rows; same arguments and semantics as \`features\`. At most ${MAX_SERIES_RANGE_BARS} bars per request.`,
  })
  series(@Args(() => FeatureFrameArgs) args: FeatureFrameArgs): Promise<SeriesFrameType> {
    return this.responses.series(args);
  }
}
