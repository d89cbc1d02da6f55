import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { FeatureValueSource, type FeatureColumn, type FeatureFrame } from "../features/feature-frame";
import { FeatureDefinitionType } from "./feature-definition.type";
import { INCOMPLETE_OPEN_TIMES } from "./indicator-series.type";
import { Timeframe } from "./timeframe.enum";

registerEnumType(FeatureValueSource, {
  name: "FeatureValueSource",
  description: "Where a feature column's values came from; the values are identical either way.",
  valuesConfig: {
    MATERIALIZED: { description: "Read from the offline store." },
    COMPUTED: { description: "Computed from the stored bars for this request and written to the offline store." },
    PARTLY_MATERIALIZED: {
      description: "The oldest `materializedValues` values read from the offline store, the rest computed for this request and written through.",
    },
  },
});

@ObjectType("FeatureValues", { description: "One feature's values, aligned with the frame's `openTimes`." })
export class FeatureValuesType {
  @Field(() => FeatureDefinitionType, { description: "The exact definition (name, version, fingerprint) the values belong to." })
  feature!: FeatureDefinitionType;

  @Field(() => [Float], { nullable: "items", description: "One value per open time; null where undefined (before the indicator's lookback)." })
  values!: (number | null)[];

  @Field(() => FeatureValueSource, { description: "Offline store, computed for this request, or partly each (see `materializedValues`)." })
  source!: FeatureValueSource;

  @Field(() => Int, { description: "How many of `values`, from the oldest, were read from the offline store; the newer ones were computed." })
  materializedValues!: number;

  static from(column: FeatureColumn): FeatureValuesType {
    return Object.assign(new FeatureValuesType(), {
      feature: FeatureDefinitionType.from(column.definition),
      values: Array.from(column.values, (value) => (Number.isNaN(value) ? null : value)),
      source: column.source,
      materializedValues: column.materializedCount,
    });
  }
}

@ObjectType("FeatureFrame", { description: "Feature values of one series over a range, point-in-time correct, as columns." })
export class FeatureFrameType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the bars." })
  timeframe!: Timeframe;

  @Field(() => Date, { description: "The point in time of the answer: only bars closed at or before it are included." })
  asOf!: Date;

  @Field(() => Boolean, {
    description: "True when the database was unavailable and this is the last good answer to the same query (see `asOf` for its age).",
  })
  stale!: boolean;

  @Field(() => String, { description: "Fingerprint of the feature set (see `featureSet`), to record with a trained model." })
  featureSetFingerprint!: string;

  @Field(() => [Date], { description: "Open times (UTC) of the closed bars in [from, to], oldest first." })
  openTimes!: Date[];

  @Field(() => [FeatureValuesType], { description: "One column per requested feature, in request order." })
  features!: FeatureValuesType[];

  @Field(() => [Date], { description: INCOMPLETE_OPEN_TIMES })
  incompleteOpenTimes!: Date[];

  static from(symbol: string, timeframe: Timeframe, frame: FeatureFrame): FeatureFrameType {
    return Object.assign(new FeatureFrameType(), {
      symbol,
      timeframe,
      asOf: new Date(frame.asOf),
      stale: false,
      featureSetFingerprint: frame.featureSetFingerprint,
      openTimes: Array.from(frame.bars.openTime, (openTime) => new Date(openTime)),
      features: frame.columns.map(FeatureValuesType.from),
      incompleteOpenTimes: frame.incompleteOpenTimes.map((openTime) => new Date(openTime)),
    });
  }
}

@ObjectType("SeriesFrame", { description: "Bars and features of one series as parallel arrays, for bulk transfer to training jobs." })
export class SeriesFrameType extends FeatureFrameType {
  @Field(() => [Float], { description: "Open prices, aligned with `openTimes`." })
  open!: number[];

  @Field(() => [Float], { description: "High prices, aligned with `openTimes`." })
  high!: number[];

  @Field(() => [Float], { description: "Low prices, aligned with `openTimes`." })
  low!: number[];

  @Field(() => [Float], { description: "Close prices, aligned with `openTimes`." })
  close!: number[];

  @Field(() => [Float], { description: "Volumes, aligned with `openTimes`." })
  volume!: number[];

  static fromSeries(symbol: string, timeframe: Timeframe, frame: FeatureFrame): SeriesFrameType {
    const { bars } = frame;
    return Object.assign(new SeriesFrameType(), FeatureFrameType.from(symbol, timeframe, frame), {
      open: Array.from(bars.open),
      high: Array.from(bars.high),
      low: Array.from(bars.low),
      close: Array.from(bars.close),
      volume: Array.from(bars.volume),
    });
  }
}
