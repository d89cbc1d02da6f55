import { Args, Authorized, Query, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { Scope } from "../access/api-key";
import type { ReadinessService } from "../features/readiness.service";
import { validateArguments } from "./argument-validation";
import type { RequestContext } from "./context";
import { ReadinessArgs } from "./live.args";
import type { ReadinessUpdate } from "./live-subscriptions.service";
import { ReadinessType } from "./readiness.type";

/** Whether a strategy's features are fit to trade on, asked once or followed. */
@Resolver()
export class ReadinessResolver {
  constructor(private readonly readinessService: ReadinessService) {}

  @Authorized(Scope.READ)
  @Query(() => ReadinessType, {
    description:
      "Whether the features of one series are warmed up, caught up to now (by the instrument's calendar: a closed market is " +
      "not behind) and gap-free within their warm-up windows: READY, CATCHING_UP, WARMING_UP, GAP_DETECTED or NO_DATA, with " +
      "the figures per feature. A strategy trades once it reads READY. Errors: NOT_FOUND (symbol, feature), BAD_USER_INPUT.",
  })
  async readiness(@Args(() => ReadinessArgs) { symbol, timeframe, features }: ReadinessArgs): Promise<ReadinessType> {
    const { readiness } = await this.readinessService.evaluate(symbol, timeframe, features);
    return ReadinessType.from(symbol, timeframe, readiness, features);
  }

  @Authorized(Scope.READ)
  @Subscription(() => ReadinessType, {
    description: "The readiness of one series for some features: first the current one, then each transition of a status.",
    subscribe: async (data: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) => {
      const args = Object.assign(new ReadinessArgs(), data.args);
      await validateArguments(args);
      return data.context.live.readinessChanged(args.symbol, args.timeframe, args.features);
    },
  })
  readinessChanged(@Root() update: ReadinessUpdate, @Args(() => ReadinessArgs) { symbol, timeframe, features }: ReadinessArgs): ReadinessType {
    return ReadinessType.from(symbol, timeframe, update.readiness, features);
  }
}
