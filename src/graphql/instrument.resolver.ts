import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { countMissingBars } from "../domain/gaps";
import { badUserInput } from "../domain/errors";
import { Scope } from "../access/api-key";
import { requireInstrument } from "../features/instrument-lookup";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { RequestContext } from "./context";
import { InstrumentType, SeriesGapsType, SeriesType } from "./instrument.type";
import { GapType } from "./readiness.type";

/** Most gaps one `gaps` field lists. */
const MAX_LISTED_GAPS = 1_000;

/** Instruments and the series stored for them. */
@Resolver(() => InstrumentType)
export class InstrumentResolver {
  constructor(private readonly reader: MarketDataReader) {}

  @Authorized(Scope.READ)
  @Query(() => [InstrumentType], { description: "Every stored instrument, ordered by symbol." })
  async instruments(): Promise<InstrumentType[]> {
    return (await this.reader.listInstruments()).map(InstrumentType.from);
  }

  @Authorized(Scope.READ)
  @Query(() => InstrumentType, { description: "One instrument. Errors with NOT_FOUND for an unknown symbol." })
  async instrument(@Arg("symbol", () => String, { description: 'Ticker, e.g. "BTCUSDT".' }) symbol: string): Promise<InstrumentType> {
    return InstrumentType.from(await requireInstrument(this.reader, symbol));
  }

  @FieldResolver(() => [SeriesType], { description: "The stored series, one per timeframe with bars, shortest timeframe first." })
  async series(@Root() instrument: InstrumentType, @Ctx() context: RequestContext): Promise<SeriesType[]> {
    return (await context.seriesBySymbol.load(instrument.symbol)).map(SeriesType.from);
  }
}

/** The gaps of a stored series. */
@Resolver(() => SeriesType)
export class SeriesResolver {
  constructor(private readonly reader: MarketDataReader) {}

  @FieldResolver(() => SeriesGapsType, {
    description:
      "The series' gaps between its first and last stored bars against the instrument's calendar (closed days are never gaps), " +
      `with the oldest \`first\` listed (default 20, at most ${MAX_LISTED_GAPS}). Errors: BAD_USER_INPUT, UNAVAILABLE.`,
  })
  async gaps(@Root() series: SeriesType, @Arg("first", () => Int, { defaultValue: 20, description: `Gaps listed, 0..${MAX_LISTED_GAPS}.` }) first: number): Promise<SeriesGapsType> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_LISTED_GAPS) throw badUserInput(`first must be 0..${MAX_LISTED_GAPS}.`);
    const gaps = await this.reader.seriesGaps(series.symbol, series.timeframe);
    return Object.assign(new SeriesGapsType(), { count: gaps.length, missingBars: countMissingBars(gaps), gaps: gaps.slice(0, first).map(GapType.from) });
  }
}
