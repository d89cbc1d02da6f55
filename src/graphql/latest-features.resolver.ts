import { Args, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { LatestFeaturesService } from "../features/latest-features.service";
import { MAX_LATEST_SYMBOLS, MAX_LATEST_WINDOW } from "../features/query-limits";
import { LatestFeaturesArgs } from "./feature.args";
import { LatestFeaturesType } from "./latest-features.type";

/** The online store: the newest feature vector per symbol. */
@Resolver()
export class LatestFeaturesResolver {
  constructor(private readonly service: LatestFeaturesService) {}

  @Authorized(Scope.READ)
  @Query(() => [LatestFeaturesType], {
    description:
      "The newest feature values of each symbol, from the online store (one round trip for all symbols), which the live " +
      "materializer keeps current as bars are committed (the first request for a series starts it). Every requested symbol " +
      "gets an entry and every value a status (PRESENT, STALE, MISSING); `window` adds the last N closed bars' values. " +
      `At most ${MAX_LATEST_SYMBOLS} symbols and a window of ${MAX_LATEST_WINDOW}. Errors: BAD_USER_INPUT, NOT_FOUND (feature), ` +
      "UNAVAILABLE (database unreachable while starting a series).",
  })
  async latestFeatures(@Args(() => LatestFeaturesArgs) { symbols, timeframe, features, window }: LatestFeaturesArgs): Promise<LatestFeaturesType[]> {
    const { references, entries } = await this.service.latest(symbols, timeframe, features, window ?? undefined);
    return entries.map((entry) => LatestFeaturesType.from(entry, timeframe, features, references));
  }
}
