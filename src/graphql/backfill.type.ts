import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Timeframe as TimeframeValue } from "../domain/timeframe";
import { BackfillStatus, type BackfillJob } from "../ingest/ports/backfill-store";
import { Timeframe } from "./timeframe.enum";

registerEnumType(BackfillStatus, {
  name: "BackfillStatus",
  description: "Where a backfill job stands.",
  valuesConfig: {
    RUNNING: { description: "Fetching and storing bars." },
    SUCCEEDED: { description: "Every missing bar the provider has is stored; the rest are confirmed gaps." },
    FAILED: { description: "Stopped by an error (see `error`); running the same backfill again resumes it." },
    INTERRUPTED: { description: "Its server stopped before it finished; running the same backfill again resumes it." },
  },
});

@ObjectType("BackfillJob", { description: "One run of a backfill: bars of a series fetched from a market-data provider and ingested through the live pipeline." })
export class BackfillJobType {
  @Field(() => ID, { description: "The job's id (a UUID)." })
  id!: string;

  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the series." })
  timeframe!: TimeframeValue;

  @Field(() => String, { description: 'The provider, e.g. "binance".' })
  provider!: string;

  @Field(() => Date, { description: "Open time (UTC) of the first bar asked for." })
  from!: Date;

  @Field(() => Date, { description: "Open time (UTC) of the last bar asked for (cut to the newest bar closed when the job started)." })
  to!: Date;

  @Field(() => BackfillStatus, { description: "Where the job stands." })
  status!: BackfillStatus;

  @Field(() => Int, { description: "Trading slots of the range without a stored bar when the job started (confirmed gaps left out)." })
  missingBars!: number;

  @Field(() => Int, { description: "Bars fetched from the provider so far." })
  barsFetched!: number;

  @Field(() => Int, { description: "Bars stored or corrected so far (bars already stored as fetched are not counted)." })
  barsStored!: number;

  @Field(() => Int, { description: "Missing bars the provider has no bar for either, recorded as confirmed gaps." })
  confirmedMissingBars!: number;

  @Field(() => Date, { nullable: true, description: "Open time (UTC) of the newest bar fetched so far; null before the first." })
  reachedOpenTime!: Date | null;

  @Field(() => String, { nullable: true, description: "Why a FAILED job failed; null otherwise." })
  error!: string | null;

  @Field(() => Date, { description: "When the job started (UTC)." })
  startedAt!: Date;

  @Field(() => Date, { description: "When its progress was last saved (UTC)." })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: "When it ended (UTC); null while RUNNING." })
  finishedAt!: Date | null;

  static from(job: BackfillJob): BackfillJobType {
    const date = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));
    return Object.assign(new BackfillJobType(), {
      ...job,
      from: new Date(job.from),
      to: new Date(job.to),
      reachedOpenTime: date(job.reachedOpenTime),
      startedAt: new Date(job.startedAt),
      updatedAt: new Date(job.updatedAt),
      finishedAt: date(job.finishedAt),
    });
  }
}
