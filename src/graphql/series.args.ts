import { Matches } from "class-validator";
import { ArgsType, Field } from "type-graphql";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "../domain/instrument";
import { Timeframe } from "./timeframe.enum";

/** Arguments naming one series: the symbol and the timeframe. */
@ArgsType()
export class SeriesArgs {
  @Field(() => String, { description: 'Ticker, e.g. "BTCUSDT".' })
  @Matches(SYMBOL_PATTERN, { message: `must be ${SYMBOL_RULE}` })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the series; a timeframe that is not stored is aggregated from a finer stored one." })
  timeframe!: Timeframe;
}

/** A series and a closed range of open times. */
@ArgsType()
export class RangeArgs extends SeriesArgs {
  @Field(() => Date, { description: 'Earliest open time (UTC, inclusive), e.g. "2024-01-01T00:00:00Z".' })
  from!: Date;

  @Field(() => Date, { description: "Latest open time (UTC, inclusive)." })
  to!: Date;
}
