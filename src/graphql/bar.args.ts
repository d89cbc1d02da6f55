import { ArgsType, Field, Int } from "type-graphql";
import { DEFAULT_BARS_PAGE_SIZE, MAX_BARS_PAGE_SIZE } from "../features/query-limits";
import { SeriesArgs } from "./series.args";

/** Arguments of `bars`: a series, an optional range and the page wanted. */
@ArgsType()
export class BarsArgs extends SeriesArgs {
  @Field(() => Date, { nullable: true, description: "Earliest open time (UTC, inclusive); default: the first stored bar." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Latest open time (UTC, inclusive); default: the last stored bar." })
  to?: Date | null;

  @Field(() => Int, { nullable: true, description: `Page size, 1..${MAX_BARS_PAGE_SIZE}; default ${DEFAULT_BARS_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Cursor from a previous page's `pageInfo.endCursor`." })
  after?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "For a timeframe aggregated from finer stored bars: also return the unfinished last bar (complete: false).",
  })
  includeIncomplete!: boolean;
}
