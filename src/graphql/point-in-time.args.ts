import { ArrayMaxSize, ArrayMinSize, Matches } from "class-validator";
import { ArgsType, Field, InputType } from "type-graphql";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "../domain/instrument";
import { MAX_FEATURES_PER_REQUEST } from "../features/query-limits";
import { FEATURE_REFERENCES } from "./feature.args";
import { Timeframe } from "./timeframe.enum";

/** Most events one `pointInTimeFeatures` request may carry (larger lists: POST /export/join). */
export const MAX_GRAPHQL_JOIN_EVENTS = 1_000;

@InputType("FeatureEvent", { description: "An event to join features to: a symbol and an instant (a trade, a label's time)." })
export class FeatureEventInput {
  @Field(() => String, { description: 'Ticker, e.g. "BTCUSDT".' })
  @Matches(SYMBOL_PATTERN, { message: `must be ${SYMBOL_RULE}` })
  symbol!: string;

  @Field(() => Date, { description: "When the event happened (UTC): it sees the newest bar closed at or before it." })
  timestamp!: Date;
}

/** Arguments of `pointInTimeFeatures`. */
@ArgsType()
export class PointInTimeArgs {
  @Field(() => [FeatureEventInput], { description: `The events, 1..${MAX_GRAPHQL_JOIN_EVENTS}; larger lists go to POST /export/join (Arrow or CSV).` })
  @ArrayMinSize(1, { message: "give at least one event" })
  @ArrayMaxSize(MAX_GRAPHQL_JOIN_EVENTS, { message: `must hold at most ${MAX_GRAPHQL_JOIN_EVENTS} events; send larger lists to POST /export/join` })
  events!: FeatureEventInput[];

  @Field(() => Timeframe, { description: "Timeframe of the bars whose features are joined." })
  timeframe!: Timeframe;

  @Field(() => [String], { description: `${FEATURE_REFERENCES} 1..${MAX_FEATURES_PER_REQUEST}.` })
  @ArrayMinSize(1, { message: "name at least one feature" })
  @ArrayMaxSize(MAX_FEATURES_PER_REQUEST, { message: `name at most ${MAX_FEATURES_PER_REQUEST} features per request` })
  features!: string[];

  @Field(() => Date, { nullable: true, description: "Only bars closed at or before it count, whatever the events' times (default: now)." })
  asOf?: Date;
}
