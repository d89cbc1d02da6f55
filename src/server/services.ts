import { BarQueryService } from "../features/bar-query.service";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { FeatureRetrievalService } from "../features/feature-retrieval.service";
import { IndicatorQueryService } from "../features/indicator-query.service";
import { LatestFeaturesService } from "../features/latest-features.service";
import { LiveMaterializer } from "../features/live/live-materializer";
import type { LiveSeriesObserver } from "../features/live/live-series";
import type { HealthProbe } from "../features/ports/health-probe";
import { QueryResultCache } from "../features/query-result-cache";
import { ReadinessService } from "../features/readiness.service";
import { TrainingExportService } from "../features/training-export.service";
import { PointInTimeJoinService } from "../features/point-in-time-join.service";
import { LiveSubscriptions } from "../graphql/live-subscriptions.service";
import { QueryResponses } from "../graphql/query-responses.service";
import type { GraphQLServices } from "../graphql/schema";
import { LiveIngestService, type IngestObserver } from "../ingest/live-ingest.service";
import { BackfillService } from "../ingest/backfill.service";
import type { MarketDataProvider } from "../ingest/ports/market-data-provider";
import type { CacheAdapters } from "../store/cache-adapters";
import type { EventBuses } from "../store/event-buses";
import type { StoreAdapters } from "../store/store-adapters";

/** How often `readinessChanged` evaluates readiness again without a bar change, ms (catching up is a matter of time). */
const READINESS_POLL_MS = 5_000;

/** Most events queued for one subscription before its oldest are dropped. */
export const SUBSCRIPTION_QUEUE_CAPACITY = 1_000;

/** The adapters and hooks the services are composed from. */
export interface ServiceDependencies {
  readonly stores: StoreAdapters;
  readonly caches: Pick<CacheAdapters, "queryCache" | "onlineStore">;
  readonly events: Pick<EventBuses, "shared" | "local">;
  readonly health: HealthProbe;
  /** Puts a computing service behind the feature-computation circuit breaker. */
  readonly guardComputation: <T extends object>(service: T) => T;
  /** Metrics and logs of the live pipeline. */
  readonly observer?: IngestObserver & LiveSeriesObserver & { subscribers?: (delta: number) => void; dropped?: () => void };
  /** Epoch ms. */
  readonly clock?: () => number;
  /** Closed bars a live series advances between two checkpoints of its streaming state. */
  readonly checkpointEveryBars?: number;
  /** The configured market-data providers by name (none: backfills are refused naming the configuration). */
  readonly providers?: ReadonlyMap<string, MarketDataProvider>;
}

/** Every service of one server instance. */
export interface CandelaServices {
  readonly graphql: GraphQLServices;
  /** The event streams behind subscriptions (for the GraphQL context). */
  readonly live: LiveSubscriptions;
  /** The live ingest pipeline (both entrances: the mutation and the stream consumer). */
  readonly ingest: LiveIngestService;
  readonly materializer: LiveMaterializer;
  /** Backfills from the market-data providers (mutation, CLI, catch-up, gap repair). */
  readonly backfill: BackfillService;
  readonly registry: FeatureRegistryService;
  /** Training exports (Arrow, CSV) over the feature retrieval. */
  readonly exports: TrainingExportService;
  /** The point-in-time join (GraphQL and POST /export/join). */
  readonly pointInTime: PointInTimeJoinService;
  /** Stops background backfills and the live materializer's subscriptions and checkpoints its series (the adapters are closed by their owners). */
  close(): Promise<void>;
}

/**
 * The composition root of the services (DESIGN.md layers): feature services over the store's ports, the live
 * materializer fed by committed bar changes and the shared event bus, and the GraphQL-facing services. The
 * caller owns and closes the adapters.
 */
export function createServices(dependencies: ServiceDependencies): CandelaServices {
  const { stores, caches, events, guardComputation, observer = {}, clock = Date.now } = dependencies;
  const registry = new FeatureRegistryService(stores.featureDefinitions);
  const retrieval = guardComputation(new FeatureRetrievalService(registry, stores.reader, stores.offlineStore, clock));
  const indicatorQueries = guardComputation(new IndicatorQueryService(stores.reader, clock));
  const responses = new QueryResponses(indicatorQueries, retrieval, new QueryResultCache(caches.queryCache));
  const materializer = new LiveMaterializer({
    reader: stores.reader,
    offlineStore: stores.offlineStore,
    onlineStore: caches.onlineStore,
    localEvents: events.local,
    sharedEvents: events.shared,
    changes: stores.notifications,
    checkpoints: stores.checkpoints,
    checkpointEveryBars: dependencies.checkpointEveryBars,
    observer,
    clock,
  });
  // Every instance drops its own cached answers when it hears of a committed change, whoever wrote the bars.
  stores.notifications.onBarsChanged((change) => {
    if (change === undefined) void caches.queryCache.invalidatePattern("*");
    else void caches.queryCache.forgetSeries(change.symbol);
  });
  const ingest = new LiveIngestService(stores.liveBars, events.shared, (symbol) => caches.queryCache.invalidateSeries(symbol), observer, clock);
  const readiness = new ReadinessService(registry, stores.reader, stores.confirmedGaps, clock, (symbol, timeframe) => materializer.get(symbol, timeframe)?.latest);
  // Not behind the computation breaker itself: its retrievals are, one window at a time.
  const pointInTime = new PointInTimeJoinService(retrieval, stores.reader, registry, clock);
  const backfill = new BackfillService({
    providers: dependencies.providers ?? new Map(),
    jobs: stores.backfillJobs,
    confirmedGaps: stores.confirmedGaps,
    leases: stores.leases,
    reader: stores.reader,
    ingest,
    clock,
  });
  const live = new LiveSubscriptions({
    readiness,
    changes: stores.notifications,
    readinessPollMs: READINESS_POLL_MS,
    registry,
    reader: stores.reader,
    materializer,
    sharedEvents: events.shared,
    localEvents: events.local,
    queueCapacity: SUBSCRIPTION_QUEUE_CAPACITY,
    onDrop: observer.dropped ?? (() => undefined),
    onSubscribers: observer.subscribers ?? (() => undefined),
  });
  return {
    graphql: {
      reader: stores.reader,
      registry,
      barQueries: new BarQueryService(stores.reader),
      responses,
      latest: new LatestFeaturesService(registry, stores.reader, materializer, caches.onlineStore, clock),
      ingest,
      readiness,
      backfill,
      pointInTime,
      queryCache: caches.queryCache,
      health: dependencies.health,
    },
    live,
    ingest,
    backfill,
    registry,
    exports: new TrainingExportService(retrieval, stores.reader, registry, clock),
    pointInTime,
    materializer,
    close: () => {
      backfill.close();
      return materializer.close();
    },
  };
}
