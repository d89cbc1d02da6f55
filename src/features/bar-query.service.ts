import { badUserInput } from "../domain/errors";
import type { Timeframe } from "../domain/timeframe";
import { requireInstrument } from "./instrument-lookup";
import type { MarketDataReader, SeriesBar } from "./ports/market-data-reader";
import { DEFAULT_BARS_PAGE_SIZE, MAX_BARS_PAGE_SIZE, validateRange } from "./query-limits";

/** A page request for the bars of one series. Times are epoch ms (UTC), both range ends inclusive. */
export interface BarPageQuery {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from: number;
  readonly to: number;
  /** Page size, 1..MAX_BARS_PAGE_SIZE; DEFAULT_BARS_PAGE_SIZE when omitted. */
  readonly first?: number;
  /** Return only bars opening strictly after this open time (the previous page's last bar). */
  readonly afterOpenTime?: number;
  /** For a series aggregated from a finer timeframe: include the unfinished trailing bar. */
  readonly includeIncomplete?: boolean;
}

/** One page of bars, oldest first, and whether more bars follow in the range. */
export interface BarPage {
  readonly bars: readonly SeriesBar[];
  readonly hasNextPage: boolean;
}

/** Reads stored bars page by page (keyset pagination on open time, stable under concurrent inserts). */
export class BarQueryService {
  constructor(private readonly reader: MarketDataReader) {}

  /**
   * @throws DomainError NOT_FOUND for an unknown symbol; BAD_USER_INPUT for `from` after `to` or a page
   *   size outside 1..MAX_BARS_PAGE_SIZE
   */
  async page(query: BarPageQuery): Promise<BarPage> {
    const range = validateRange(query, query.timeframe);
    const first = query.first ?? DEFAULT_BARS_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_BARS_PAGE_SIZE) {
      throw badUserInput(`\`first\` must be between 1 and ${MAX_BARS_PAGE_SIZE}; got ${first}. Page through longer ranges with \`after\`.`);
    }
    await requireInstrument(this.reader, query.symbol);
    const bars = await this.reader.readBars(query.symbol, query.timeframe, range, {
      limit: first + 1,
      afterOpenTime: query.afterOpenTime,
      includeIncomplete: query.includeIncomplete,
    });
    return { bars: bars.slice(0, first), hasNextPage: bars.length > first };
  }
}
