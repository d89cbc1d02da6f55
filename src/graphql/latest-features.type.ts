import { Field, Float, ObjectType } from "type-graphql";
import type { LatestFeatures } from "../features/latest-features.service";

@ObjectType("LatestFeatureValue", { description: "One feature's value at the newest closed bar." })
export class LatestFeatureValueType {
  @Field(() => String, { description: 'Exact feature reference, e.g. "rsi_14@1".' })
  feature!: string;

  @Field(() => Float, { nullable: true, description: "The value; null where undefined (not enough bars yet)." })
  value!: number | null;
}

@ObjectType("LatestFeatures", { description: "The newest closed bar's feature vector of one symbol (online store)." })
export class LatestFeaturesType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Date, { description: "Open time (UTC) of the bar the values belong to." })
  openTime!: Date;

  @Field(() => Date, { description: "When the values became known: the bar's close time (UTC)." })
  asOf!: Date;

  @Field(() => [LatestFeatureValueType], { description: "The requested features, in request order." })
  values!: LatestFeatureValueType[];

  static from(latest: LatestFeatures, references: readonly string[]): LatestFeaturesType {
    return Object.assign(new LatestFeaturesType(), {
      symbol: latest.symbol,
      openTime: new Date(latest.openTime),
      asOf: new Date(latest.asOf),
      values: references.map((feature) => Object.assign(new LatestFeatureValueType(), { feature, value: latest.values[feature] ?? null })),
    });
  }
}
