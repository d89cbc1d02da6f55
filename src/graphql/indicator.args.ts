import { ArrayMaxSize, ArrayMinSize } from "class-validator";
import { ArgsType, Field } from "type-graphql";
import { MAX_INDICATOR_SPECS } from "../features/query-limits";
import { IndicatorSpecInput } from "./indicator.input";
import { RangeArgs } from "./series.args";

/** Arguments of `indicators`: a series, a range and the indicators to compute over it. */
@ArgsType()
export class IndicatorsArgs extends RangeArgs {
  @Field(() => [IndicatorSpecInput], { description: `Indicators to compute (1..${MAX_INDICATOR_SPECS}), each with parameters and optionally one output.` })
  @ArrayMinSize(1, { message: 'give at least one indicator spec, e.g. { indicator: "rsi" }' })
  @ArrayMaxSize(MAX_INDICATOR_SPECS, { message: `must hold at most ${MAX_INDICATOR_SPECS} indicator specs per request` })
  specs!: IndicatorSpecInput[];
}
