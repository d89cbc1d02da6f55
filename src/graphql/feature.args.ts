import { ArrayMaxSize, ArrayMinSize, Matches } from "class-validator";
import { ArgsType, Field, Int } from "type-graphql";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "../domain/instrument";
import { MAX_FEATURES_PER_REQUEST, MAX_LATEST_SYMBOLS, MAX_LATEST_WINDOW } from "../features/query-limits";
import { RangeArgs } from "./series.args";
import { Timeframe } from "./timeframe.enum";

/** How every argument naming features describes them. */
export const FEATURE_REFERENCES =
  'Feature references: "rsi_14" for the latest version or "rsi_14@2" for a fixed one (see `featureDefinitions`).';

/** The `features` argument, declared the same way wherever a list of feature references is taken. */
function FeatureList(): PropertyDecorator {
  return (target, property) => {
    Field(() => [String], { defaultValue: [], description: `${FEATURE_REFERENCES} At most ${MAX_FEATURES_PER_REQUEST}; may be empty.` })(target, property);
    ArrayMaxSize(MAX_FEATURES_PER_REQUEST, { message: `name at most ${MAX_FEATURES_PER_REQUEST} features per request` })(target, property);
  };
}

/** Arguments naming a list of features (`featureSet`). */
@ArgsType()
export class FeaturesArgs {
  @FeatureList()
  features!: string[];
}

/** Arguments of `features` and `series`: a series, a range, features and the point in time. */
@ArgsType()
export class FeatureFrameArgs extends RangeArgs {
  @FeatureList()
  features!: string[];

  @Field(() => Date, {
    nullable: true,
    description: "Point in time (UTC): only bars closed at or before it are seen, exactly as a live strategy saw them then. Default: now.",
  })
  asOf?: Date | null;
}

/** Arguments of `latestFeatures`: many symbols, one timeframe, features. */
@ArgsType()
export class LatestFeaturesArgs extends FeaturesArgs {
  @Field(() => [String], { description: `Tickers, e.g. ["BTCUSDT", "ETHUSDT"]; 1..${MAX_LATEST_SYMBOLS}.` })
  @ArrayMinSize(1, { message: "name at least one symbol" })
  @ArrayMaxSize(MAX_LATEST_SYMBOLS, { message: `name at most ${MAX_LATEST_SYMBOLS} symbols` })
  @Matches(SYMBOL_PATTERN, { each: true, message: `each must be ${SYMBOL_RULE}` })
  symbols!: string[];

  @Field(() => Timeframe, { description: "Timeframe of the series." })
  timeframe!: Timeframe;

  @Field(() => Int, { nullable: true, description: `Also return the values of the last N closed bars (1..${MAX_LATEST_WINDOW}) per symbol.` })
  window?: number | null;
}
