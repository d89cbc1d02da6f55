import type { ApiKeyStore } from "../access/api-key-store";
import type { FeatureDefinitionStore } from "../features/ports/feature-definition-store";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { OfflineFeatureStore } from "../features/ports/offline-feature-store";
import { ResamplingMarketDataReader } from "./offline/resampling-market-data-reader";
import { ApiKeyRepository } from "./registry/api-key.repository";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "../resilience/circuit-breaker";
import type { Database } from "./postgres/database";
import { guardDatabase } from "./postgres/database-guard";
import { FeatureDefinitionRepository } from "./registry/feature-definition.repository";
import { MarketDataRepository } from "./offline/market-data.repository";
import { OfflineFeatureRepository } from "./offline/offline-feature.repository";

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
  /** Hears of the database breaker's state changes. */
  readonly onBreakerStateChange?: (change: CircuitStateChange) => void;
}

/** Builds the adapters over `database`. */
export function createStoreAdapters(database: Database, options: StoreAdapterOptions = {}): StoreAdapters {
  const databaseBreaker = createCircuitBreaker("postgresql", { timeoutMs: DATABASE_TIMEOUT_MS, onStateChange: options.onBreakerStateChange });
  const offlineStore = new OfflineFeatureRepository(database.lockingPool, options.onWriteFailure);
  return {
    reader: new ResamplingMarketDataReader(guardDatabase(new MarketDataRepository(database.prisma, database.pool), databaseBreaker)),
    featureDefinitions: guardDatabase(new FeatureDefinitionRepository(database.prisma), databaseBreaker),
    offlineStore: guardDatabase(offlineStore, databaseBreaker),
    apiKeys: guardDatabase(new ApiKeyRepository(database.prisma), databaseBreaker),
    databaseBreaker,
    drain: () => offlineStore.drain(),
    async close() {
      await offlineStore.drain();
      databaseBreaker.shutdown();
    },
  };
}
