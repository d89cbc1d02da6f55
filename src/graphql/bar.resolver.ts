import { Arg, Authorized, Int, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { BarQueryService } from "../features/bar-query.service";
import { DEFAULT_BARS_PAGE_SIZE, EARLIEST_OPEN_TIME, LATEST_OPEN_TIME, MAX_BARS_PAGE_SIZE } from "../features/query-limits";
import { decodeBarCursor, encodeBarCursor } from "./bar-cursor";
import { BarConnection, BarEdge, BarType, PageInfo } from "./bar.type";
import { Timeframe } from "./timeframe.enum";

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
  async bars(
    @Arg("symbol", () => String, { description: 'Ticker, e.g. "BTCUSDT".' }) symbol: string,
    @Arg("timeframe", () => Timeframe, { description: "Timeframe of the series." }) timeframe: Timeframe,
    @Arg("from", () => Date, { nullable: true, description: "Earliest open time (UTC, inclusive); default: the first stored bar." })
    from: Date | undefined,
    @Arg("to", () => Date, { nullable: true, description: "Latest open time (UTC, inclusive); default: the last stored bar." })
    to: Date | undefined,
    @Arg("first", () => Int, {
      nullable: true,
      description: `Page size, 1..${MAX_BARS_PAGE_SIZE}; default ${DEFAULT_BARS_PAGE_SIZE}.`,
    })
    first: number | undefined,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `pageInfo.endCursor`." })
    after: string | undefined,
    @Arg("includeIncomplete", () => Boolean, {
      defaultValue: false,
      description: "For a timeframe aggregated from finer stored bars: also return the unfinished last bar (complete: false).",
    })
    includeIncomplete: boolean,
  ): Promise<BarConnection> {
    const page = await this.barQueries.page({
      symbol,
      timeframe,
      from: from?.getTime() ?? EARLIEST_OPEN_TIME,
      to: to?.getTime() ?? LATEST_OPEN_TIME,
      first: first ?? undefined,
      afterOpenTime: after == null ? undefined : decodeBarCursor(after),
      includeIncomplete,
    });
    const edges = page.bars.map((bar) =>
      Object.assign(new BarEdge(), { cursor: encodeBarCursor(bar.openTime), node: BarType.from(bar, timeframe) }),
    );
    const pageInfo = Object.assign(new PageInfo(), {
      hasNextPage: page.hasNextPage,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    });
    return Object.assign(new BarConnection(), { edges, nodes: edges.map((edge) => edge.node), pageInfo });
  }
}
