import { Args, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { LatestFeaturesService } from "../features/latest-features.service";
import { MAX_LATEST_SYMBOLS } from "../features/query-limits";
import { LatestFeaturesArgs } from "./feature.args";
import { LatestFeaturesType } from "./latest-features.type";

/** The online store: the newest feature vector per symbol. */
@Resolver()
export class LatestFeaturesResolver {
  constructor(private readonly service: LatestFeaturesService) {}

  @Authorized(Scope.READ)
  @Query(() => [LatestFeaturesType], {
    description:
      "The newest closed bar's feature vector for each symbol, from the online store (one round trip for all symbols); a vector " +
      "behind the stored bars is recomputed first. Symbols without a closed bar are left out. " +
      `At most ${MAX_LATEST_SYMBOLS} symbols. Errors: BAD_USER_INPUT, NOT_FOUND (feature), UNAVAILABLE (online store unreachable).`,
  })
  async latestFeatures(@Args(() => LatestFeaturesArgs) { symbols, timeframe, features }: LatestFeaturesArgs): Promise<LatestFeaturesType[]> {
    const { references, vectors } = await this.service.latest(symbols, timeframe, features);
    return vectors.map((vector) => LatestFeaturesType.from(vector, timeframe, features, references));
  }
}
