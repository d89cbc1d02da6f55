import { Field, Int, ObjectType } from "type-graphql";
import type { FeatureDefinition, FeatureInput } from "../features/feature-definition";
import type { RegistrationResult } from "../features/feature-registry.service";
import type { IndicatorParameters } from "../indicators/indicator";
import { ParameterValueType } from "./indicator-series.type";
import { Timeframe } from "./timeframe.enum";

/** Parameter values as GraphQL lists them. */
function parameterValues(parameters: IndicatorParameters): ParameterValueType[] {
  return Object.entries(parameters).map(([name, value]) => Object.assign(new ParameterValueType(), { name, value }));
}

@ObjectType("FeatureInput", { description: "The feature a composed feature reads instead of the close, as it was when the composed feature was registered." })
export class FeatureInputType {
  @Field(() => String, { description: 'Reference of the input feature, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => String, { description: 'Indicator id, e.g. "rsi".' })
  indicator!: string;

  @Field(() => [ParameterValueType], { description: "Every parameter value, defaults included." })
  parameters!: ParameterValueType[];

  @Field(() => String, { description: 'Indicator output the input feature takes, e.g. "value".' })
  output!: string;

  @Field(() => FeatureInputType, { nullable: true, description: "The input feature's own input, when it is composed too." })
  input!: FeatureInputType | null;

  static from(input: FeatureInput): FeatureInputType {
    return Object.assign(new FeatureInputType(), {
      reference: `${input.name}@${input.version}`,
      indicator: input.indicator,
      parameters: parameterValues(input.parameters),
      output: input.output,
      input: input.input === null ? null : FeatureInputType.from(input.input),
    });
  }
}

@ObjectType("FeatureDefinition", { description: "A named, immutable, versioned feature: one indicator output with fixed parameters." })
export class FeatureDefinitionType {
  @Field(() => String, { description: 'Feature name, e.g. "rsi_14".' })
  name!: string;

  @Field(() => Int, { description: "Version under the name: 1 for the first definition, +1 for each changed one." })
  version!: number;

  @Field(() => String, { description: 'Reference that always means exactly this definition, e.g. "rsi_14@2".' })
  reference!: string;

  @Field(() => String, { description: 'Indicator id, e.g. "rsi".' })
  indicator!: string;

  @Field(() => Int, { description: "The indicator's algorithm version when the feature was registered." })
  indicatorVersion!: number;

  @Field(() => [ParameterValueType], { description: "Every parameter value, defaults included." })
  parameters!: ParameterValueType[];

  @Field(() => String, { description: 'Indicator output the feature takes, e.g. "value" or "histogram".' })
  output!: string;

  @Field(() => Timeframe, { nullable: true, description: "The only timeframe the feature may be used at; null for any timeframe." })
  timeframe!: Timeframe | null;

  @Field(() => String, { description: "Free-text description given at registration." })
  description!: string;

  @Field(() => FeatureInputType, { nullable: true, description: "For a composed feature: the feature it reads instead of the close, with that feature's own input; null for a feature computed from bars." })
  input!: FeatureInputType | null;

  @Field(() => String, {
    description: "sha256 (hex) of indicator, algorithm version, parameters, output, timeframe and the input chain's computation: equal fingerprints mean equal values.",
  })
  fingerprint!: string;

  @Field(() => Date, { description: "When the definition was registered (UTC)." })
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: "Why the name is deprecated (it takes no new definition; its versions and values stay readable); null when it is not. Set by `npm run apply`.",
  })
  deprecationReason!: string | null;

  /** @param deprecationReason the name's deprecation reason, when it is deprecated (`featureDefinitions` reads them) */
  static from(definition: FeatureDefinition, deprecationReason: string | null = null): FeatureDefinitionType {
    return Object.assign(new FeatureDefinitionType(), {
      ...definition,
      deprecationReason,
      reference: `${definition.name}@${definition.version}`,
      parameters: parameterValues(definition.parameters),
      input: definition.input === null ? null : FeatureInputType.from(definition.input),
      createdAt: new Date(definition.createdAt),
    });
  }
}

@ObjectType("FeatureRegistration", { description: "Result of `registerFeature` (one per window for `registerFeatureWindows`)." })
export class FeatureRegistrationType {
  @Field(() => FeatureDefinitionType, { description: "The definition now registered under the name." })
  definition!: FeatureDefinitionType;

  @Field(() => Boolean, { description: "False when an identical definition already existed and was returned unchanged." })
  created!: boolean;

  static from(result: RegistrationResult): FeatureRegistrationType {
    return Object.assign(new FeatureRegistrationType(), { definition: FeatureDefinitionType.from(result.definition), created: result.created });
  }
}

@ObjectType("FeatureSet", { description: "Resolved features and the fingerprint a trained model can record." })
export class FeatureSetType {
  @Field(() => [FeatureDefinitionType], { description: "The definitions, in the order named." })
  features!: FeatureDefinitionType[];

  @Field(() => String, { description: "sha256 (hex) over the sorted name@version=fingerprint lines; independent of order." })
  fingerprint!: string;
}
