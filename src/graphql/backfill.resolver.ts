import { Args, Authorized, Mutation, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { BackfillService } from "../ingest/backfill.service";
import { BackfillArgs, BackfillJobArgs, BackfillJobsArgs } from "./backfill.args";
import { BackfillJobType } from "./backfill.type";

/** Backfills from market-data providers and their jobs. */
@Resolver()
export class BackfillResolver {
  constructor(private readonly backfills: BackfillService) {}

  @Authorized(Scope.INGEST)
  @Mutation(() => BackfillJobType, {
    description:
      "Fetches the bars a series lacks between `from` and `to` (open times, inclusive; `to` is cut to the newest bar closed by now) from a " +
      "market-data provider and ingests them through the live pipeline, in the background (needs the ingest scope). Only missing trading " +
      "slots are fetched; slots the provider has no bar for either become confirmed gaps. Returns the job at once (RUNNING); follow it " +
      "with `backfillJob`. Running the same backfill again after an interruption fetches only what is still missing; while another server " +
      "backfills the series, returns that server's job. Errors: BAD_USER_INPUT (unknown provider, a range off the grid or reversed), " +
      "UNAUTHENTICATED, FORBIDDEN, UNAVAILABLE.",
  })
  async backfill(@Args(() => BackfillArgs) { symbol, timeframe, from, to, provider }: BackfillArgs): Promise<BackfillJobType> {
    return BackfillJobType.from(await this.backfills.start({ symbol, timeframe, provider, from: from.getTime(), to: to.getTime() }));
  }

  @Authorized(Scope.READ)
  @Query(() => [BackfillJobType], { description: "Backfill jobs, newest first, with their progress. Errors: BAD_USER_INPUT, UNAVAILABLE." })
  async backfillJobs(@Args(() => BackfillJobsArgs) { symbol, status, limit }: BackfillJobsArgs): Promise<BackfillJobType[]> {
    return (await this.backfills.jobs({ symbol, status, limit })).map(BackfillJobType.from);
  }

  @Authorized(Scope.READ)
  @Query(() => BackfillJobType, { description: "One backfill job and its progress. Errors: NOT_FOUND (no job with this id), BAD_USER_INPUT, UNAVAILABLE." })
  async backfillJob(@Args(() => BackfillJobArgs) { id }: BackfillJobArgs): Promise<BackfillJobType> {
    return BackfillJobType.from(await this.backfills.job(id));
  }

  @Authorized(Scope.READ)
  @Query(() => [String], { description: 'The configured market-data providers, e.g. ["binance", "twelvedata"].' })
  marketDataProviders(): string[] {
    return this.backfills.providerNames;
  }
}
