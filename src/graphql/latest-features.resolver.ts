import { Arg, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import { MAX_LATEST_SYMBOLS, type LatestFeaturesService } from "../features/latest-features.service";
import { LatestFeaturesType } from "./latest-features.type";
import { Timeframe } from "./timeframe.enum";

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
  async latestFeatures(
    @Arg("symbols", () => [String], { description: 'Tickers, e.g. ["BTCUSDT", "ETHUSDT"].' }) symbols: string[],
    @Arg("timeframe", () => Timeframe, { description: "Timeframe of the series." }) timeframe: Timeframe,
    @Arg("names", () => [String], { description: 'Feature references: "rsi_14" (latest version) or "rsi_14@2".' }) names: string[],
  ): Promise<LatestFeaturesType[]> {
    const { references, vectors } = await this.service.latest(symbols, timeframe, names);
    return vectors.map((vector) => LatestFeaturesType.from(vector, references));
  }
}
