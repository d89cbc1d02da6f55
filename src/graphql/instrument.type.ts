import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Instrument, SeriesSummary } from "../domain/instrument";
import { CalendarKind, formatWeeklySession } from "../domain/trading-calendar";
import { GapType } from "./readiness.type";
import { Timeframe } from "./timeframe.enum";

registerEnumType(CalendarKind, {
  name: "CalendarKind",
  description: "How an instrument's trading hours are described.",
  valuesConfig: {
    ALWAYS_OPEN: { description: "Trades around the clock (crypto): every missing bar is a gap." },
    WEEKLY_SESSION: { description: "Trades in a weekly session (FX, equities): closed slots are not gaps." },
  },
});

@ObjectType("TradingCalendar", { description: "When an instrument trades; gap detection skips slots when it is closed." })
export class TradingCalendarType {
  @Field(() => CalendarKind, { description: "Around the clock, or a weekly session." })
  kind!: CalendarKind;

  @Field(() => String, {
    nullable: true,
    description: 'The weekly session, e.g. "Sun 17:00 - Fri 17:00 America/New_York"; null when always open.',
  })
  session!: string | null;
}

@ObjectType("Series", { description: "The stored bars of one instrument at one timeframe." })
export class SeriesType {
  @Field(() => Timeframe, { description: "Timeframe of the bars." })
  timeframe!: Timeframe;

  @Field(() => Int, { description: "Number of stored bars." })
  barCount!: number;

  @Field(() => Date, { description: "Open time (UTC) of the oldest stored bar." })
  firstOpenTime!: Date;

  @Field(() => Date, { description: "Open time (UTC) of the newest stored bar." })
  lastOpenTime!: Date;

  /** The instrument's ticker (for the `gaps` field; not a field itself). */
  symbol!: string;

  static from(summary: SeriesSummary): SeriesType {
    return Object.assign(new SeriesType(), {
      symbol: summary.symbol,
      timeframe: summary.timeframe,
      barCount: summary.barCount,
      firstOpenTime: new Date(summary.firstOpenTime),
      lastOpenTime: new Date(summary.lastOpenTime),
    });
  }
}

@ObjectType("Instrument", { description: "A tradable symbol with its trading calendar and stored series." })
export class InstrumentType {
  @Field(() => String, { description: 'Ticker, e.g. "BTCUSDT".' })
  symbol!: string;

  @Field(() => TradingCalendarType, { description: "When the instrument trades." })
  calendar!: TradingCalendarType;

  static from(instrument: Instrument): InstrumentType {
    const { calendar } = instrument;
    return Object.assign(new InstrumentType(), {
      symbol: instrument.symbol,
      calendar: Object.assign(new TradingCalendarType(), {
        kind: calendar.kind,
        session: calendar.kind === CalendarKind.WEEKLY_SESSION ? formatWeeklySession(calendar.session) : null,
      }),
    });
  }
}

@ObjectType("SeriesGaps", { description: "The gaps of a stored series: runs of trading slots of its calendar with no bar." })
export class SeriesGapsType {
  @Field(() => Int, { description: "How many gaps the series has." })
  count!: number;

  @Field(() => Int, { description: "Bars missing in all of them." })
  missingBars!: number;

  @Field(() => [GapType], { description: "The oldest gaps, at most `first` of them." })
  gaps!: GapType[];
}
