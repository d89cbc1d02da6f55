import { Field, Float, ObjectType } from "type-graphql";
import { closeTimeOf, type Timeframe } from "../domain/timeframe";
import type { LatestFeatures } from "../features/latest-features.service";

@ObjectType("LatestFeatureValue", { description: "One feature's value at the newest closed bar." })
export class LatestFeatureValueType {
  @Field(() => String, { description: 'The feature as the request named it, e.g. "rsi_14".' })
  feature!: string;

  @Field(() => String, { description: 'The exact definition the value belongs to, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => Float, { nullable: true, description: "The value; null where undefined (not enough bars yet)." })
  value!: number | null;
}

@ObjectType("LatestFeatures", { description: "The newest closed bar's feature vector of one symbol (online store)." })
export class LatestFeaturesType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Date, { description: "Open time (UTC) of the bar the values belong to." })
  openTime!: Date;

  @Field(() => Date, { description: "Close time (UTC) of that bar: when its values became known." })
  closeTime!: Date;

  @Field(() => Date, { description: "When the values were computed (UTC)." })
  computedAt!: Date;

  @Field(() => [LatestFeatureValueType], { description: "The requested features, in request order." })
  values!: LatestFeatureValueType[];

  /**
   * @param requested the feature names as the request gave them
   * @param references the exact references they resolved to, in the same order
   */
  static from(latest: LatestFeatures, timeframe: Timeframe, requested: readonly string[], references: readonly string[]): LatestFeaturesType {
    return Object.assign(new LatestFeaturesType(), {
      symbol: latest.symbol,
      openTime: new Date(latest.openTime),
      closeTime: new Date(closeTimeOf(latest.openTime, timeframe)),
      computedAt: new Date(latest.computedAt),
      values: references.map((reference, index) =>
        Object.assign(new LatestFeatureValueType(), { feature: requested[index], reference, value: latest.values[reference] ?? null }),
      ),
    });
  }
}
