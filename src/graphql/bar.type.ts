import { Field, Float, ObjectType } from "type-graphql";
import type { SeriesBar } from "../features/ports/market-data-reader";
import { closeTimeOf, type Timeframe } from "../domain/timeframe";

@ObjectType("Bar", { description: "One OHLCV bar. Prices in quote currency; volume in base units (tick volume for FX)." })
export class BarType {
  @Field(() => Date, { description: "Open time (UTC), on the timeframe's grid; identifies the bar within its series." })
  openTime!: Date;

  @Field(() => Date, { description: "Close time (UTC) = open time + timeframe duration; the bar's values are final from then." })
  closeTime!: Date;

  @Field(() => Float, { description: "First traded price of the bar." })
  open!: number;

  @Field(() => Float, { description: "Highest traded price of the bar." })
  high!: number;

  @Field(() => Float, { description: "Lowest traded price of the bar." })
  low!: number;

  @Field(() => Float, { description: "Last traded price of the bar." })
  close!: number;

  @Field(() => Float, { description: "Traded volume during the bar." })
  volume!: number;

  @Field(() => Boolean, {
    description: "False when the bar was aggregated from a finer stored timeframe and source bars are missing inside it (a gap, or the unfinished last bar).",
  })
  complete!: boolean;

  static from(bar: SeriesBar, timeframe: Timeframe): BarType {
    return Object.assign(new BarType(), {
      ...bar,
      openTime: new Date(bar.openTime),
      closeTime: new Date(closeTimeOf(bar.openTime, timeframe)),
    });
  }
}

@ObjectType("BarEdge", { description: "A bar and the cursor that resumes pagination after it." })
export class BarEdge {
  @Field(() => String, { description: "Opaque cursor: pass it as `after` to continue after this bar." })
  cursor!: string;

  @Field(() => BarType, { description: "The bar." })
  node!: BarType;
}

@ObjectType("PageInfo", { description: "Where a page ends and whether another follows (Relay cursor connections)." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more bars follow in the requested range." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the last bar of this page; null for an empty page." })
  endCursor!: string | null;
}

@ObjectType("BarConnection", { description: "A page of bars, oldest first." })
export class BarConnection {
  @Field(() => [BarEdge], { description: "The bars of this page with their cursors." })
  edges!: BarEdge[];

  @Field(() => [BarType], { description: "The bars of this page, without cursors." })
  nodes!: BarType[];

  @Field(() => PageInfo, { description: "Pagination state." })
  pageInfo!: PageInfo;
}
