import { Field, Float, InputType, Int } from "type-graphql";

@InputType({ description: "A parameter value of an indicator spec." })
export class ParameterValueInput {
  @Field(() => String, { description: 'Parameter name, e.g. "period" (see `indicatorMetadata`).' })
  name!: string;

  @Field(() => Float, { description: "Value within the parameter's bounds." })
  value!: number;
}

@InputType({ description: 'One indicator to compute, e.g. { indicator: "macd", parameters: [{ name: "fastPeriod", value: 8 }] }.' })
export class IndicatorSpecInput {
  @Field(() => String, { description: 'Indicator id, e.g. "rsi" (see `availableIndicators`).' })
  indicator!: string;

  @Field(() => [ParameterValueInput], { nullable: true, description: "Parameter overrides; omitted parameters take their defaults." })
  parameters?: ParameterValueInput[] | null;

  @Field(() => String, { nullable: true, description: 'Return only this output (e.g. "signal"); default: all outputs.' })
  output?: string | null;

  @Field(() => [Int], {
    nullable: true,
    description:
      "Several windows at once: the indicator is computed once per value of its `period` parameter in this list, over the same bars, and " +
      "returns one result per window in this order (e.g. sma with windows [20, 50, 200]). At most 20; leave `period` out of `parameters`. " +
      "Each window counts as one spec toward the per-request limit.",
  })
  windows?: number[] | null;
}
