import { Args, Authorized, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { BarQueryService } from "../features/bar-query.service";
import { EARLIEST_OPEN_TIME, LATEST_OPEN_TIME } from "../features/query-limits";
import { BarsArgs } from "./bar.args";
import { decodeBarCursor, encodeBarCursor } from "./bar-cursor";
import { BarConnection, BarEdge, BarType, PageInfo } from "./bar.type";

/** Stored OHLCV bars, page by page. */
@Resolver()
export class BarResolver {
  constructor(private readonly barQueries: BarQueryService) {}

  @Authorized(Scope.READ)
  @Query(() => BarConnection, {
    description:
      "Bars of one series with open time in [from, to], oldest first, paginated with `first`/`after`. A timeframe that is not " +
      "stored is aggregated on the UTC grid from the longest stored timeframe dividing it (e.g. 1m → 1h). " +
      "Errors: NOT_FOUND for an unknown symbol; BAD_USER_INPUT for from after to, a bad page size or cursor.",
  })
  async bars(@Args(() => BarsArgs) args: BarsArgs): Promise<BarConnection> {
    const page = await this.barQueries.page({
      symbol: args.symbol,
      timeframe: args.timeframe,
      from: args.from?.getTime() ?? EARLIEST_OPEN_TIME,
      to: args.to?.getTime() ?? LATEST_OPEN_TIME,
      first: args.first ?? undefined,
      afterOpenTime: args.after == null ? undefined : decodeBarCursor(args.after),
      includeIncomplete: args.includeIncomplete,
    });
    const edges = page.bars.map((bar) =>
      Object.assign(new BarEdge(), { cursor: encodeBarCursor(bar.openTime), node: BarType.from(bar, args.timeframe) }),
    );
    const pageInfo = Object.assign(new PageInfo(), {
      hasNextPage: page.hasNextPage,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    });
    return Object.assign(new BarConnection(), { edges, nodes: edges.map((edge) => edge.node), pageInfo });
  }
}
