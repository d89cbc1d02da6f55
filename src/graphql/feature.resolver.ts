import { Arg, Args, Authorized, Int, Mutation, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import { featureSetFingerprint } from "../features/feature-definition";
import type { FeatureRegistration, FeatureRegistryService } from "../features/feature-registry.service";
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
      "were. `input` makes a composed feature (see RegisterFeatureInput.input). Needs an API key with the admin scope. Errors: " +
      "BAD_USER_INPUT (name, parameters, output, an input the indicator cannot take, a timeframe other than the input's), NOT_FOUND (indicator, input feature), " +
      "UNAUTHENTICATED (no or invalid key), FORBIDDEN (key without admin).",
  })
  async registerFeature(@Arg("input", () => RegisterFeatureInput, { description: "The definition." }) input: RegisterFeatureInput): Promise<FeatureRegistrationType> {
    return FeatureRegistrationType.from(await this.registry.register(registrationOf(input)));
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => [FeatureRegistrationType], {
    description:
      "Registers a definition once per window (qlir's \"all windows at once\"): `<name>_<window>` with the indicator's `period` set to the " +
      'window, e.g. name "sma_trend", indicator "sma", windows [20, 50, 200] registers sma_trend_20, sma_trend_50 and sma_trend_200. ' +
      "Each behaves as `registerFeature`; every one is checked before any is stored. Needs the admin scope. Errors: as `registerFeature`, " +
      "and BAD_USER_INPUT for an indicator without `period`, `period` also in the parameters, or a list empty, over 20 long or repeating.",
  })
  async registerFeatureWindows(
    @Arg("input", () => RegisterFeatureInput, { description: "The definition, without `period`; `name` is the prefix of each feature's name." }) input: RegisterFeatureInput,
    @Arg("windows", () => [Int], { description: "The periods, in bars: one feature each, in this order." }) windows: number[],
  ): Promise<FeatureRegistrationType[]> {
    return (await this.registry.registerWindows(registrationOf(input), windows)).map(FeatureRegistrationType.from);
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

/** The registration a GraphQL input describes. */
function registrationOf(input: RegisterFeatureInput): FeatureRegistration {
  return {
    name: input.name,
    indicator: input.indicator,
    parameters: toParameterRecord(input.parameters, input.indicator),
    output: input.output ?? undefined,
    timeframe: input.timeframe ?? null,
    description: input.description ?? undefined,
    input: input.input ?? undefined,
  };
}
