import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { closeTimeOf, type Timeframe } from "../domain/timeframe";
import { LatestValueStatus, type LatestFeatures } from "../features/latest-features.service";

registerEnumType(LatestValueStatus, {
  name: "LatestValueStatus",
  description: "How current an online value is, against the instrument's trading calendar.",
  valuesConfig: {
    PRESENT: { description: "The value of the newest bar the calendar expects by now." },
    STALE: { description: "The value of an older bar: the bars the calendar expects since have not arrived." },
    MISSING: { description: "No value: unknown symbol, no closed bar at this timeframe, or nothing computed." },
  },
});

@ObjectType("LatestFeatureValue", { description: "One feature's newest value for one symbol." })
export class LatestFeatureValueType {
  @Field(() => String, { description: 'The feature as the request named it, e.g. "rsi_14".' })
  feature!: string;

  @Field(() => String, { description: 'The exact definition the value belongs to, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => Float, { nullable: true, description: "The value; null where undefined (not enough bars yet) or MISSING." })
  value!: number | null;

  @Field(() => LatestValueStatus, { description: "PRESENT, STALE or MISSING." })
  status!: LatestValueStatus;

  @Field(() => Date, { nullable: true, description: "Open time (UTC) of the bar the value belongs to; null when MISSING." })
  openTime!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the value was computed (UTC); null when MISSING." })
  computedAt!: Date | null;
}

@ObjectType("LatestFeatureWindow", { description: "One feature's values over the last closed bars, aligned with `LatestWindow.openTimes`." })
export class LatestFeatureWindowType {
  @Field(() => String, { description: "The feature as the request named it." })
  feature!: string;

  @Field(() => String, { description: "The exact definition the values belong to." })
  reference!: string;

  @Field(() => [Float], { nullable: "items", description: "One value per open time, oldest first; null where undefined." })
  values!: (number | null)[];
}

@ObjectType("LatestWindow", { description: "The last closed bars' values of the requested features, for models that take a short history." })
export class LatestWindowType {
  @Field(() => [Date], { description: "Open times (UTC) of the bars, oldest first." })
  openTimes!: Date[];

  @Field(() => [LatestFeatureWindowType], { description: "One entry per requested feature, in request order." })
  features!: LatestFeatureWindowType[];
}

@ObjectType("LatestFeatures", { description: "The newest feature values of one requested symbol (online store)." })
export class LatestFeaturesType {
  @Field(() => String, { description: "Ticker, as requested." })
  symbol!: string;

  @Field(() => Boolean, { description: "False when no instrument has this symbol: every value is then MISSING." })
  known!: boolean;

  @Field(() => Date, { nullable: true, description: "Open time (UTC) of the newest bar any value belongs to; null when every value is MISSING." })
  openTime!: Date | null;

  @Field(() => Date, { nullable: true, description: "Close time (UTC) of that bar: when its values became known." })
  closeTime!: Date | null;

  @Field(() => Int, { nullable: true, description: "The series' revision the values were computed at: it grows when stored history is corrected." })
  revision!: number | null;

  @Field(() => [LatestFeatureValueType], { description: "One value per requested feature, in request order." })
  values!: LatestFeatureValueType[];

  @Field(() => LatestWindowType, { nullable: true, description: "The last `window` closed bars' values, when `window` was given." })
  window!: LatestWindowType | null;

  /**
   * @param requested the feature names as the request gave them
   * @param references the exact references they resolved to, in the same order
   */
  static from(latest: LatestFeatures, timeframe: Timeframe, requested: readonly string[], references: readonly string[]): LatestFeaturesType {
    const openTimes = latest.values.map((value) => value.openTime).filter((openTime): openTime is number => openTime !== undefined);
    const newest = openTimes.length === 0 ? null : Math.max(...openTimes);
    return Object.assign(new LatestFeaturesType(), {
      symbol: latest.symbol,
      known: latest.known,
      openTime: newest === null ? null : new Date(newest),
      closeTime: newest === null ? null : new Date(closeTimeOf(newest, timeframe)),
      revision: latest.revision ?? null,
      values: latest.values.map((value, index) =>
        Object.assign(new LatestFeatureValueType(), {
          feature: requested[index],
          reference: value.reference,
          value: value.value,
          status: value.status,
          openTime: value.openTime === undefined ? null : new Date(value.openTime),
          computedAt: value.computedAt === undefined ? null : new Date(value.computedAt),
        }),
      ),
      window:
        latest.window === undefined
          ? null
          : Object.assign(new LatestWindowType(), {
              openTimes: latest.window.openTimes.map((openTime) => new Date(openTime)),
              features: latest.window.values.map((column, index) =>
                Object.assign(new LatestFeatureWindowType(), {
                  feature: requested[index],
                  reference: references[index],
                  values: Array.from(column, (value) => (Number.isNaN(value) ? null : value)),
                }),
              ),
            }),
    });
  }
}
