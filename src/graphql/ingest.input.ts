import { Field, Float, InputType } from "type-graphql";

@InputType({ description: "A bar to ingest. Prices in quote currency, volume in base units; validated as CSV rows are." })
export class BarInput {
  @Field(() => Date, { description: "Open time (UTC), on the timeframe's grid (never rounded: an off-grid bar is rejected)." })
  openTime!: Date;

  @Field(() => Float, { description: "First traded price (> 0)." })
  open!: number;

  @Field(() => Float, { description: "Highest traded price (≥ open, close, low)." })
  high!: number;

  @Field(() => Float, { description: "Lowest traded price (> 0, ≤ open, close)." })
  low!: number;

  @Field(() => Float, { description: "Last traded price (> 0)." })
  close!: number;

  @Field(() => Float, { description: "Traded volume (≥ 0)." })
  volume!: number;

  @Field(() => Boolean, {
    defaultValue: true,
    description: "True for a final bar (stored; features advance). False for the still-forming bar: its feature values are published, flagged not final, and nothing is stored.",
  })
  closed!: boolean;
}
