import type { ApiKeyStore } from "../access/api-key-store";
import type { FeatureDefinitionStore } from "../features/ports/feature-definition-store";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { OfflineFeatureStore } from "../features/ports/offline-feature-store";
import type { StreamCheckpointStore } from "../features/ports/stream-checkpoint-store";
import type { InstrumentClosures } from "../domain/trading-calendar";
import type { LiveBarStore } from "../ingest/ports/live-bar-store";
import type { BackfillStore } from "../ingest/ports/backfill-store";
import type { ConfirmedGapStore } from "../features/ports/confirmed-gap-store";
import type { SeriesLeases } from "../ingest/ports/series-leases";
import { AdvisoryLeases } from "./postgres/advisory-leases";
import { BackfillJobRepository } from "./offline/backfill-job.repository";
import { ConfirmedGapRepository } from "./offline/confirmed-gap.repository";
import { PostgresNotificationListener, type NotificationListenerEvents } from "./postgres/notification-listener";
import { LiveBarRepository } from "./offline/live-bar.repository";
import { ResamplingMarketDataReader } from "./offline/resampling-market-data-reader";
import { ApiKeyRepository } from "./registry/api-key.repository";
import { isCallerError } from "../resilience/breaker-errors";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "../resilience/circuit-breaker";
import type { Database } from "./postgres/database";
import { guardDatabase, isDatabaseUnreachable } from "./postgres/database-guard";
import { FeatureDefinitionRepository } from "./registry/feature-definition.repository";
import { MarketDataRepository } from "./offline/market-data.repository";
import { OfflineFeatureRepository } from "./offline/offline-feature.repository";
import { StreamCheckpointRepository } from "./offline/stream-checkpoint.repository";

// Generous: a cold feature computation holds the series lock for seconds; the timeout guards against hangs.
const DATABASE_TIMEOUT_MS = 30_000;

/**
 * The PostgreSQL adapters of every port over one database connection, each call guarded by the
 * circuit breaker "postgresql" (bars of any timeframe: see ResamplingMarketDataReader).
 */
export interface StoreAdapters {
  readonly reader: MarketDataReader;
  readonly featureDefinitions: FeatureDefinitionStore;
  readonly offlineStore: OfflineFeatureStore;
  readonly apiKeys: ApiKeyStore;
  /** Where the live materializer checkpoints streaming state. */
  readonly checkpoints: StreamCheckpointStore;
  /** Where live ingest writes closed bars. */
  readonly liveBars: LiveBarStore;
  /** Backfill jobs, and the stored series' shape a backfill starts from. */
  readonly backfillJobs: BackfillStore;
  /** Gaps a provider confirmed it has no bars for. */
  readonly confirmedGaps: ConfirmedGapStore;
  /** Which process catches up or repairs a series (advisory locks on a dedicated connection). */
  readonly leases: SeriesLeases;
  /** Committed bar changes and API key revocations from every process (LISTEN/NOTIFY on a dedicated connection); start it with `start()`. */
  readonly notifications: PostgresNotificationListener;
  /** The breaker in front of PostgreSQL (named "postgresql"), for health and metrics. */
  readonly databaseBreaker: GuardedDependency;
  /** Waits for the offline store's deferred writes; call before closing the database. */
  drain(): Promise<void>;
  /** Drains, then stops the breaker's timers. */
  close(): Promise<void>;
}

/** What `createStoreAdapters` reports to its caller. */
export interface StoreAdapterOptions {
  /** Hears of failed deferred offline-store writes (the values are computed again later). */
  readonly onWriteFailure?: (error: unknown) => void;
  /** Told how many feature values each committed offline-store session materialized. */
  readonly onValuesWritten?: (count: number) => void;
  /** Hears of the database breaker's state changes. */
  readonly onBreakerStateChange?: (change: CircuitStateChange) => void;
  /** Closed dates configured per symbol, added to the stored calendars. */
  readonly closures?: InstrumentClosures;
  /** Hears of the bar-change listener's connection (see PostgresNotificationListener). */
  readonly barChangeEvents?: NotificationListenerEvents;
}

/** Builds the adapters over `database`. */
export function createStoreAdapters(database: Database, options: StoreAdapterOptions = {}): StoreAdapters {
  // Only outages open the breaker: a statement PostgreSQL refuses for its input (22021 invalid byte sequence, 22P02,
  // 23xxx, 42xxx) or a bug is the request's problem, and must never fail everyone else's requests.
  const databaseBreaker = createCircuitBreaker("postgresql", {
    timeoutMs: DATABASE_TIMEOUT_MS,
    onStateChange: options.onBreakerStateChange,
    isIgnoredError: (error) => isCallerError(error) || !isDatabaseUnreachable(error),
  });
  const offlineStore = new OfflineFeatureRepository(database.lockingPool, options.onWriteFailure, options.onValuesWritten);
  const notifications = new PostgresNotificationListener({ connectionString: database.url }, options.barChangeEvents);
  const leases = new AdvisoryLeases({ connectionString: database.url });
  return {
    reader: new ResamplingMarketDataReader(guardDatabase(new MarketDataRepository(database.prisma, database.pool, options.closures), databaseBreaker)),
    featureDefinitions: guardDatabase(new FeatureDefinitionRepository(database.prisma), databaseBreaker),
    offlineStore: guardDatabase(offlineStore, databaseBreaker),
    apiKeys: guardDatabase(new ApiKeyRepository(database.prisma), databaseBreaker),
    liveBars: guardDatabase(new LiveBarRepository(database.pool), databaseBreaker),
    checkpoints: guardDatabase(new StreamCheckpointRepository(database.pool), databaseBreaker),
    backfillJobs: guardDatabase(new BackfillJobRepository(database.pool), databaseBreaker),
    confirmedGaps: guardDatabase(new ConfirmedGapRepository(database.pool), databaseBreaker),
    leases,
    notifications,
    databaseBreaker,
    drain: () => offlineStore.drain(),
    async close() {
      await notifications.stop();
      await leases.close();
      await offlineStore.drain();
      databaseBreaker.shutdown();
    },
  };
}
