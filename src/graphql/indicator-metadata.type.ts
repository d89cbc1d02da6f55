import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { PriceField } from "../domain/bar";
import { WARMUP_TOLERANCE } from "../features/indicator-query.service";
import type { IndicatorDefinition } from "../indicators/indicator";
import { resolveParameters } from "../indicators/parameters";
import { finiteOrNull } from "./indicator-series.type";

registerEnumType(PriceField, { name: "PriceField", description: "A column of a bar that an indicator reads." });

@ObjectType("IndicatorParameter", { description: "A numeric parameter of an indicator, with its default and bounds." })
export class IndicatorParameterType {
  @Field(() => String, { description: 'Parameter name as used in a spec, e.g. "period".' })
  name!: string;

  @Field(() => String, { description: "What the parameter controls." })
  description!: string;

  @Field(() => Float, { description: "Value used when a spec leaves the parameter out." })
  defaultValue!: number;

  @Field(() => Float, { description: "Smallest accepted value (inclusive)." })
  minimum!: number;

  @Field(() => Float, { description: "Largest accepted value (inclusive)." })
  maximum!: number;

  @Field(() => Boolean, { description: "True when only whole numbers are accepted." })
  integer!: boolean;
}

@ObjectType("IndicatorOutputSpec", { description: "One output column of an indicator." })
export class IndicatorOutputSpecType {
  @Field(() => String, { description: 'Output name, e.g. "signal"; single-output indicators call it "value".' })
  name!: string;

  @Field(() => String, { description: "What the output means." })
  description!: string;
}

@ObjectType("IndicatorMetadata", { description: "What an indicator computes, from which inputs, and how much history it needs." })
export class IndicatorMetadataType {
  @Field(() => String, { description: 'Identifier used in specs, e.g. "rsi".' })
  id!: string;

  @Field(() => String, { description: 'Full name, e.g. "Relative Strength Index".' })
  name!: string;

  @Field(() => String, { description: "What it measures and how to read it." })
  description!: string;

  @Field(() => String, { description: "Origin of the formula and the reference it matches (TA-Lib)." })
  source!: string;

  @Field(() => Int, { description: "Algorithm version; changes whenever any output value could change." })
  version!: number;

  @Field(() => [PriceField], { description: "Bar columns the indicator reads." })
  inputs!: PriceField[];

  @Field(() => [IndicatorParameterType], { description: "Parameters with defaults and bounds." })
  parameters!: IndicatorParameterType[];

  @Field(() => [IndicatorOutputSpecType], { description: "Output columns, in the order results return them." })
  outputs!: IndicatorOutputSpecType[];

  @Field(() => Int, { description: "With default parameters: index of the first defined value (TA-Lib lookback)." })
  defaultLookback!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      `With default parameters: bars of history needed before a value is within ${WARMUP_TOLERANCE} (relative) of its ` +
      "full-history value; null when values depend on the whole history (OBV).",
  })
  defaultWarmupBars!: number | null;

  static from(definition: IndicatorDefinition): IndicatorMetadataType {
    const defaults = resolveParameters(definition, {});
    return Object.assign(new IndicatorMetadataType(), {
      id: definition.id,
      name: definition.name,
      description: definition.description,
      source: definition.source,
      version: definition.version,
      inputs: [...definition.inputs],
      parameters: definition.parameters.map((parameter) => Object.assign(new IndicatorParameterType(), parameter)),
      outputs: definition.outputs.map((output) => Object.assign(new IndicatorOutputSpecType(), output)),
      defaultLookback: definition.lookback(defaults),
      defaultWarmupBars: finiteOrNull(definition.warmup(defaults, WARMUP_TOLERANCE)),
    });
  }
}
