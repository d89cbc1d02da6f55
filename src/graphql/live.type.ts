import { Field, Float, Int, ObjectType } from "type-graphql";
import { closeTimeOf, type Timeframe as TimeframeValue } from "../domain/timeframe";
import type { BarFormingEvent, BarsClosedEvent } from "../features/ports/live-events";
import type { IngestResult } from "../ingest/live-ingest.service";
import { BarType } from "./bar.type";
import type { FeatureUpdate } from "./live-subscriptions.service";
import { Timeframe } from "./timeframe.enum";

@ObjectType("IngestResult", { description: "What `ingestBars` did." })
export class IngestResultType {
  @Field(() => Int, { description: "Closed bars stored for the first time, after the series' newest bar." })
  inserted!: number;

  @Field(() => Int, { description: "Closed bars older than the newest stored bar, stored now: the series' values are recomputed from them and republished with a higher revision." })
  late!: number;

  @Field(() => Int, { description: "Closed bars that replaced a stored bar with different values (also recomputed and republished)." })
  corrected!: number;

  @Field(() => Int, { description: "Closed bars identical to stored ones: nothing changed." })
  duplicates!: number;

  @Field(() => Int, { description: "1 when a forming bar was published (the newest of the request), else 0." })
  forming!: number;

  @Field(() => Int, { nullable: true, description: "The series' revision after the ingest; null when no closed bar was sent." })
  revision!: number | null;

  static from(result: IngestResult): IngestResultType {
    return Object.assign(new IngestResultType(), result);
  }
}

@ObjectType("BarsClosed", { description: "Closed bars of one series stored by one write." })
export class BarsClosedType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the bars." })
  timeframe!: TimeframeValue;

  @Field(() => [BarType], { description: "The bars stored or corrected, oldest first." })
  bars!: BarType[];

  @Field(() => Date, { nullable: true, description: "When history before the newest bar changed (a late bar, a correction): the open time from which; null for an append." })
  rewrittenFrom!: Date | null;

  @Field(() => Int, { description: "The series' revision after the write." })
  revision!: number;

  static from(event: BarsClosedEvent): BarsClosedType {
    return Object.assign(new BarsClosedType(), {
      symbol: event.symbol,
      timeframe: event.timeframe,
      bars: event.bars.map((bar) => BarType.from({ ...bar, complete: true }, event.timeframe)),
      rewrittenFrom: event.rewrittenFrom === null ? null : new Date(event.rewrittenFrom),
      revision: event.revision,
    });
  }
}

@ObjectType("FormingBar", { description: "The still-forming bar of one series, as last sent; never stored." })
export class FormingBarType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the bar." })
  timeframe!: TimeframeValue;

  @Field(() => BarType, { description: "The bar so far (complete: false)." })
  bar!: BarType;

  static from(event: BarFormingEvent): FormingBarType {
    return Object.assign(new FormingBarType(), {
      symbol: event.symbol,
      timeframe: event.timeframe,
      bar: BarType.from({ ...event.bar, complete: false }, event.timeframe),
    });
  }
}

@ObjectType("FeatureUpdateValue", { description: "One feature's value in a feature update." })
export class FeatureUpdateValueType {
  @Field(() => String, { description: 'The feature as the subscription named it, e.g. "rsi_14".' })
  feature!: string;

  @Field(() => String, { description: 'The exact definition, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => Float, { nullable: true, description: "The value; null where undefined (before the lookback)." })
  value!: number | null;
}

@ObjectType("FeatureUpdate", { description: "Feature values of one series at one bar, as the live materializer computed them." })
export class FeatureUpdateType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the series." })
  timeframe!: TimeframeValue;

  @Field(() => Date, { description: "Open time (UTC) of the bar the values belong to." })
  openTime!: Date;

  @Field(() => Date, { description: "Close time (UTC) of that bar." })
  closeTime!: Date;

  @Field(() => Boolean, { description: "False for the still-forming bar (values will change, never stored); true once the bar is closed." })
  final!: boolean;

  @Field(() => Int, { description: "The series' revision: a higher one supersedes values published before (stored history was corrected)." })
  revision!: number;

  @Field(() => Date, { description: "When the values were computed (UTC)." })
  computedAt!: Date;

  @Field(() => [FeatureUpdateValueType], { description: "The subscribed features, in subscription order." })
  values!: FeatureUpdateValueType[];

  /** @param requested the feature names as the subscription gave them, in the order of `update.references` */
  static from(update: FeatureUpdate, requested: readonly string[]): FeatureUpdateType {
    const { event, references } = update;
    return Object.assign(new FeatureUpdateType(), {
      symbol: event.symbol,
      timeframe: event.timeframe,
      openTime: new Date(event.openTime),
      closeTime: new Date(closeTimeOf(event.openTime, event.timeframe)),
      final: event.final,
      revision: event.revision,
      computedAt: new Date(event.computedAt),
      values: references.map((reference, index) =>
        Object.assign(new FeatureUpdateValueType(), { feature: requested[index], reference, value: event.values[reference] ?? null }),
      ),
    });
  }
}
