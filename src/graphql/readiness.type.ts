import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import type { Gap } from "../domain/gaps";
import type { Timeframe as TimeframeValue } from "../domain/timeframe";
import { ReadinessStatus, type Readiness } from "../features/readiness";
import { Timeframe } from "./timeframe.enum";

registerEnumType(ReadinessStatus, {
  name: "ReadinessStatus",
  description: "Whether features are fit to trade on; several features' status is the worst of theirs (in the order below, worst last).",
  valuesConfig: {
    READY: { description: "Warmed up, gap-free within the warm-up window, caught up to the newest bar the calendar expects." },
    CATCHING_UP: { description: "The newest stored bar is older than the newest one the calendar expects by now (a weekend or holiday is not)." },
    WARMING_UP: { description: "Fewer stored bars than the feature's warm-up needs." },
    GAP_DETECTED: { description: "Bars are missing while the market was open, inside the feature's warm-up window." },
    NO_DATA: { description: "No closed bar is stored for the series." },
  },
});

@ObjectType("GapReport", { description: "A run of missing bars while the market was open (never filled)." })
export class GapType {
  @Field(() => Date, { description: "Open time (UTC) of the first missing bar." })
  firstMissingOpenTime!: Date;

  @Field(() => Date, { description: "Open time (UTC) of the last missing bar." })
  lastMissingOpenTime!: Date;

  @Field(() => Int, { description: "Number of missing bars." })
  missingBars!: number;

  static from(gap: Gap): GapType {
    return Object.assign(new GapType(), { firstMissingOpenTime: new Date(gap.firstMissingOpenTime), lastMissingOpenTime: new Date(gap.lastMissingOpenTime), missingBars: gap.missingBars });
  }
}

@ObjectType("SkippedClosure", { description: "A day the market was closed (a holiday, a configured closure): not a gap." })
export class SkippedClosureType {
  @Field(() => String, { description: 'Local date of the closure, "YYYY-MM-DD".' })
  date!: string;

  @Field(() => String, { description: 'Why, e.g. "NYSE holiday: Thanksgiving Day".' })
  reason!: string;
}

@ObjectType("FeatureReadiness", { description: "One feature's readiness." })
export class FeatureReadinessType {
  @Field(() => String, { description: "The feature as the request named it." })
  feature!: string;

  @Field(() => String, { description: 'The exact definition, e.g. "rsi_14@1".' })
  reference!: string;

  @Field(() => ReadinessStatus, { description: "This feature's status." })
  status!: ReadinessStatus;

  @Field(() => Int, { nullable: true, description: "Bars of history its newest value needs before its bar (warm-up at 1e-9); null when it depends on the whole history (OBV)." })
  requiredWarmupBars!: number | null;

  @Field(() => Int, { description: "Closed bars stored before the newest one." })
  availableWarmupBars!: number;

  @Field(() => [GapType], { description: "Gaps inside the feature's warm-up window not confirmed by a provider, oldest first: they make it GAP_DETECTED." })
  gaps!: GapType[];

  @Field(() => [GapType], {
    description:
      "Confirmed gaps overlapping the window, oldest first: a provider has no bars for them either (an exchange outage), so the values are " +
      "what the market produced. Reported, not GAP_DETECTED, and never fetched again.",
  })
  confirmedGaps!: GapType[];

  @Field(() => [SkippedClosureType], { description: "Closed days inside the window, skipped (not gaps)." })
  skippedClosures!: SkippedClosureType[];
}

@ObjectType("Readiness", { description: "Whether a series' features are warmed up, caught up to now and gap-free." })
export class ReadinessType {
  @Field(() => String, { description: "Ticker." })
  symbol!: string;

  @Field(() => Timeframe, { description: "Timeframe of the series." })
  timeframe!: TimeframeValue;

  @Field(() => ReadinessStatus, { description: "The worst of the features' statuses (the series' own when no feature is named)." })
  status!: ReadinessStatus;

  @Field(() => Date, { nullable: true, description: "Open time (UTC) of the newest closed bar; null without one." })
  newestOpenTime!: Date | null;

  @Field(() => Float, { nullable: true, description: "Milliseconds from the newest bar's close time to now; null without a bar." })
  lagMs!: number | null;

  @Field(() => Int, { description: "Bars the calendar expects by now after the newest stored one (0 when caught up)." })
  barsBehind!: number;

  @Field(() => [FeatureReadinessType], { description: "One entry per requested feature, in request order." })
  features!: FeatureReadinessType[];

  /** @param requested the feature names as the request gave them, in the order of `readiness.features` */
  static from(symbol: string, timeframe: TimeframeValue, readiness: Readiness, requested: readonly string[]): ReadinessType {
    return Object.assign(new ReadinessType(), {
      symbol,
      timeframe,
      status: readiness.status,
      newestOpenTime: readiness.newestOpenTime === undefined ? null : new Date(readiness.newestOpenTime),
      lagMs: readiness.lagMs ?? null,
      barsBehind: readiness.barsBehind,
      features: readiness.features.map((feature, index) =>
        Object.assign(new FeatureReadinessType(), {
          feature: requested[index],
          reference: feature.reference,
          status: feature.status,
          requiredWarmupBars: Number.isFinite(feature.requiredBars) ? feature.requiredBars - 1 : null,
          availableWarmupBars: Math.max(0, feature.availableBars - 1),
          gaps: feature.gaps.map(GapType.from),
          confirmedGaps: feature.confirmedGaps.map(GapType.from),
          skippedClosures: feature.skippedClosures.map((closure) => Object.assign(new SkippedClosureType(), closure)),
        }),
      ),
    });
  }
}
