import { Args, Authorized, Mutation, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { Scope } from "../access/api-key";
import type { BarFormingEvent, BarsClosedEvent } from "../features/ports/live-events";
import { MAX_INGEST_BARS } from "../features/query-limits";
import type { LiveIngestService } from "../ingest/live-ingest.service";
import { validateArguments } from "./argument-validation";
import type { RequestContext } from "./context";
import { FeatureUpdatesArgs, IngestBarsArgs } from "./live.args";
import { BarsClosedType, FeatureUpdateType, FormingBarType, IngestResultType } from "./live.type";
import type { FeatureUpdate } from "./live-subscriptions.service";
import { SeriesArgs } from "./series.args";

/** Validated arguments of a subscription (its `subscribe` function receives them raw). */
async function argumentsOf<T extends object>(type: new () => T, { args }: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>): Promise<T> {
  const instance = Object.assign(new type(), args);
  await validateArguments(instance);
  return instance;
}

/** Live ingest and the subscriptions of the live pipeline (graphql-ws on the HTTP port). */
@Resolver()
export class LiveResolver {
  constructor(private readonly ingest: LiveIngestService) {}

  @Authorized(Scope.INGEST)
  @Mutation(() => IngestResultType, {
    description:
      "Ingests bars of one series through the live pipeline (needs the ingest scope). Closed bars are stored in open-time order, " +
      "one writer per series at a time; a duplicate changes nothing; a late bar or a correction is stored and the series' values " +
      "are recomputed and republished with a higher revision. A forming bar (closed: false) is published, never stored. Every bar " +
      `is validated as CSV rows are; one bad bar rejects the request and nothing is written. At most ${MAX_INGEST_BARS} bars. ` +
      "Errors: BAD_USER_INPUT (a bar, naming its index), UNAUTHENTICATED, FORBIDDEN, UNAVAILABLE.",
  })
  async ingestBars(@Args(() => IngestBarsArgs) { symbol, timeframe, bars }: IngestBarsArgs): Promise<IngestResultType> {
    const live = bars.map((bar) => ({ ...bar, openTime: bar.openTime.getTime() }));
    return IngestResultType.from(await this.ingest.ingest(symbol, timeframe, live));
  }

  @Authorized(Scope.READ)
  @Subscription(() => BarsClosedType, {
    description: "Closed bars of one series each time they are stored, whichever server instance ingested them.",
    subscribe: async (data: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) => {
      const { symbol, timeframe } = await argumentsOf(SeriesArgs, data);
      return data.context.live.barsClosed(symbol, timeframe);
    },
  })
  barClosed(@Root() event: BarsClosedEvent, @Args(() => SeriesArgs) _series: SeriesArgs): BarsClosedType {
    return BarsClosedType.from(event);
  }

  @Authorized(Scope.READ)
  @Subscription(() => FormingBarType, {
    description: "The still-forming bar of one series each time it changes (ingested with closed: false).",
    subscribe: async (data: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) => {
      const { symbol, timeframe } = await argumentsOf(SeriesArgs, data);
      return data.context.live.barForming(symbol, timeframe);
    },
  })
  barUpdated(@Root() event: BarFormingEvent, @Args(() => SeriesArgs) _series: SeriesArgs): FormingBarType {
    return FormingBarType.from(event);
  }

  @Authorized(Scope.READ)
  @Subscription(() => FeatureUpdateType, {
    description:
      "Feature values of each symbol's series each time a bar closes (and, with includeForming, each time the forming bar " +
      "changes, final: false), computed by the live materializer: bit for bit the values a historical `features` query returns. " +
      "Errors: NOT_FOUND (symbol, feature), BAD_USER_INPUT.",
    subscribe: async (data: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>) => {
      const { symbols, timeframe, features, includeForming } = await argumentsOf(FeatureUpdatesArgs, data);
      return data.context.live.featureUpdates(symbols, timeframe, features, includeForming);
    },
  })
  featureUpdates(@Root() update: FeatureUpdate, @Args(() => FeatureUpdatesArgs) { features }: FeatureUpdatesArgs): FeatureUpdateType {
    return FeatureUpdateType.from(update, features);
  }
}
