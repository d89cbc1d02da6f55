import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { Scope } from "../access/api-key";
import { requireInstrument } from "../features/instrument-lookup";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { RequestContext } from "./context";
import { InstrumentType, SeriesType } from "./instrument.type";

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
