import { Field, Float, ObjectType } from "type-graphql";
import type { JoinResult } from "../features/point-in-time-join.service";

@ObjectType("PointInTimeValue", { description: "One feature's value at an event." })
export class PointInTimeValueType {
  @Field(() => String, { description: "The feature as the request named it." })
  feature!: string;

  @Field(() => String, { description: 'The exact definition, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => Float, { nullable: true, description: "Its value at the event's bar; null in its warm-up or without a bar." })
  value!: number | null;
}

@ObjectType("PointInTimeRow", { description: "An event and the feature values known at its time." })
export class PointInTimeRowType {
  @Field(() => String, { description: "The event's ticker." })
  symbol!: string;

  @Field(() => Date, { description: "The event's time (UTC)." })
  timestamp!: Date;

  @Field(() => Date, {
    nullable: true,
    description: "Open time (UTC) of the bar whose values the event sees: the newest closed at or before the event; null when none closed in the 7 days before it.",
  })
  openTime!: Date | null;

  @Field(() => [PointInTimeValueType], { description: "One value per requested feature, in request order." })
  values!: PointInTimeValueType[];

  /** The rows of a join, in the request's order, values under the names the request gave. */
  static list(result: JoinResult, requested: readonly string[]): PointInTimeRowType[] {
    const references = result.definitions.map((definition) => `${definition.name}@${definition.version}`);
    return result.rows.map((row) =>
      Object.assign(new PointInTimeRowType(), {
        symbol: row.symbol,
        timestamp: new Date(row.timestamp),
        openTime: row.openTime === undefined ? null : new Date(row.openTime),
        values: row.values.map((value, feature) =>
          Object.assign(new PointInTimeValueType(), { feature: requested[feature], reference: references[feature], value: Number.isNaN(value) ? null : value }),
        ),
      }),
    );
  }
}
