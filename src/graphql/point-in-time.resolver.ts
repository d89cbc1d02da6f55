import { Args, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { PointInTimeJoinService } from "../features/point-in-time-join.service";
import { MAX_GRAPHQL_JOIN_EVENTS, PointInTimeArgs } from "./point-in-time.args";
import { PointInTimeRowType } from "./point-in-time.type";

/** The point-in-time join for small event lists (larger ones: POST /export/join). */
@Resolver()
export class PointInTimeResolver {
  constructor(private readonly joins: PointInTimeJoinService) {}

  @Authorized(Scope.READ)
  @Query(() => [PointInTimeRowType], {
    description:
      "Point-in-time join (Feast's get_historical_features): for each event (symbol, time), each feature's value at the newest bar of " +
      "the symbol closed at or before the event's time, so no event sees a bar that closed after it. Rows in the events' order. " +
      `At most ${MAX_GRAPHQL_JOIN_EVENTS} events; POST /export/join takes up to 1,000,000 and answers Arrow or CSV. ` +
      "Errors: BAD_USER_INPUT, NOT_FOUND (symbol, feature), UNAVAILABLE.",
  })
  async pointInTimeFeatures(@Args(() => PointInTimeArgs) { events, timeframe, features, asOf }: PointInTimeArgs): Promise<PointInTimeRowType[]> {
    const result = await this.joins.join(
      { events: events.map((event) => ({ symbol: event.symbol, timestamp: event.timestamp.getTime() })), timeframe, features, asOf: asOf?.getTime() },
      MAX_GRAPHQL_JOIN_EVENTS,
    );
    return PointInTimeRowType.list(result, features);
  }
}
