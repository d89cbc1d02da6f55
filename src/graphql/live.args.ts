import { ArrayMaxSize, ArrayMinSize, Matches } from "class-validator";
import { ArgsType, Field } from "type-graphql";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "../domain/instrument";
import { MAX_FEATURES_PER_REQUEST, MAX_INGEST_BARS, MAX_LATEST_SYMBOLS } from "../features/query-limits";
import { FEATURE_REFERENCES } from "./feature.args";
import { BarInput } from "./ingest.input";
import { SeriesArgs } from "./series.args";
import { Timeframe } from "./timeframe.enum";

/** Arguments of `ingestBars`: a series and its bars. */
@ArgsType()
export class IngestBarsArgs extends SeriesArgs {
  @Field(() => [BarInput], { description: `Closed and forming bars, any order; 1..${MAX_INGEST_BARS}.` })
  @ArrayMinSize(1, { message: "give at least one bar" })
  @ArrayMaxSize(MAX_INGEST_BARS, { message: `must hold at most ${MAX_INGEST_BARS} bars per request` })
  bars!: BarInput[];
}

/** Arguments of `readiness` and `readinessChanged`: a series and the features a strategy needs. */
@ArgsType()
export class ReadinessArgs extends SeriesArgs {
  @Field(() => [String], { defaultValue: [], description: `${FEATURE_REFERENCES} At most ${MAX_FEATURES_PER_REQUEST}; none evaluates the series alone.` })
  @ArrayMaxSize(MAX_FEATURES_PER_REQUEST, { message: `name at most ${MAX_FEATURES_PER_REQUEST} features per request` })
  features!: string[];
}

/** Arguments of `featureUpdates`: symbols, a timeframe, features, and whether forming bars count. */
@ArgsType()
export class FeatureUpdatesArgs {
  @Field(() => [String], { description: `Tickers, e.g. ["BTCUSDT", "ETHUSDT"]; 1..${MAX_LATEST_SYMBOLS}.` })
  @ArrayMinSize(1, { message: "name at least one symbol" })
  @ArrayMaxSize(MAX_LATEST_SYMBOLS, { message: `name at most ${MAX_LATEST_SYMBOLS} symbols` })
  @Matches(SYMBOL_PATTERN, { each: true, message: `each must be ${SYMBOL_RULE}` })
  symbols!: string[];

  @Field(() => Timeframe, { description: "Timeframe of the series." })
  timeframe!: Timeframe;

  @Field(() => [String], { description: `${FEATURE_REFERENCES} 1..${MAX_FEATURES_PER_REQUEST}.` })
  @ArrayMinSize(1, { message: "name at least one feature" })
  @ArrayMaxSize(MAX_FEATURES_PER_REQUEST, { message: `name at most ${MAX_FEATURES_PER_REQUEST} features per request` })
  features!: string[];

  @Field(() => Boolean, { defaultValue: false, description: "Also send the values of the still-forming bar each time it changes (final: false)." })
  includeForming!: boolean;
}
