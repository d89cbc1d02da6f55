import { Matches, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int } from "type-graphql";
import { SYMBOL_PATTERN, SYMBOL_RULE } from "../domain/instrument";
import { BackfillStatus } from "../ingest/ports/backfill-store";
import { RangeArgs } from "./series.args";

/** Most jobs one `backfillJobs` request returns. */
export const MAX_BACKFILL_JOBS = 100;

/** Arguments of `backfill`: a series, a range and a provider. */
@ArgsType()
export class BackfillArgs extends RangeArgs {
  @Field(() => String, { description: 'The market-data provider: "binance" (crypto spot), or "twelvedata" (FX, stocks) when configured.' })
  @Matches(/^[a-z0-9]{1,32}$/, { message: 'must be a provider name such as "binance"' })
  provider!: string;
}

/** Arguments of `backfillJobs`: optional filters and a page size. */
@ArgsType()
export class BackfillJobsArgs {
  @Field(() => String, { nullable: true, description: "Only jobs of this ticker." })
  @Matches(SYMBOL_PATTERN, { message: `must be ${SYMBOL_RULE}` })
  symbol?: string;

  @Field(() => BackfillStatus, { nullable: true, description: "Only jobs with this status." })
  status?: BackfillStatus;

  @Field(() => Int, { defaultValue: 20, description: `Most jobs returned, newest first; 1..${MAX_BACKFILL_JOBS}.` })
  @Min(1, { message: "must be at least 1" })
  @Max(MAX_BACKFILL_JOBS, { message: `must be at most ${MAX_BACKFILL_JOBS}` })
  limit!: number;
}

/** Arguments of `backfillJob`: its id. */
@ArgsType()
export class BackfillJobArgs {
  @Field(() => ID, { description: "The job's id, as `backfill` returned it." })
  @Matches(/^[0-9a-f-]{36}$/, { message: "must be a job id (a UUID)" })
  id!: string;
}
