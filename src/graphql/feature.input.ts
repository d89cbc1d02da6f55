import { Field, InputType } from "type-graphql";
import { ParameterValueInput } from "./indicator.input";
import { Timeframe } from "./timeframe.enum";

@InputType({ description: 'A feature to register, e.g. { name: "rsi_14", indicator: "rsi", parameters: [{ name: "period", value: 14 }] }.' })
export class RegisterFeatureInput {
  @Field(() => String, { description: 'Feature name: lower-case letters, digits and "_", starting with a letter (e.g. "macd_hist").' })
  name!: string;

  @Field(() => String, { description: 'Indicator id (see `availableIndicators`), e.g. "macd".' })
  indicator!: string;

  @Field(() => [ParameterValueInput], { nullable: true, description: "Parameter values; omitted parameters take their defaults, which are recorded." })
  parameters?: ParameterValueInput[] | null;

  @Field(() => String, { nullable: true, description: "Indicator output to take; required when the indicator has several (e.g. MACD's \"histogram\")." })
  output?: string | null;

  @Field(() => Timeframe, { nullable: true, description: "Restrict the feature to one timeframe; omit for any timeframe." })
  timeframe?: Timeframe | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For a composed feature: the feature whose values the indicator reads instead of the close, e.g. "rsi_14" (latest version) or "rsi_14@2". ' +
      "The indicator must read the close alone (sma, ema, rsi, zscore, percentrank, ...); lookback and warm-up add up along the chain, and a " +
      "timeframe restriction of the input carries over.",
  })
  input?: string | null;

  @Field(() => String, { nullable: true, description: "What the feature is for." })
  description?: string | null;
}
