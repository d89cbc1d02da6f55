import type { ApiKeyStore } from "../features/api-key.service";
import type { FeatureDefinitionStore, MarketDataReader, OfflineFeatureStore } from "../features/ports";
import { ResamplingMarketDataReader } from "../features/resampling-reader";
import { ApiKeyRepository } from "./api-key.repository";
import type { Database } from "./database";
import { FeatureDefinitionRepository } from "./feature-definition.repository";
import { MarketDataRepository } from "./market-data.repository";
import { OfflineFeatureRepository } from "./offline-feature.repository";

/** The PostgreSQL adapters of every port, over one database connection (bars of any timeframe: see ResamplingMarketDataReader). */
export interface StoreAdapters {
  readonly reader: MarketDataReader;
  readonly featureDefinitions: FeatureDefinitionStore;
  readonly offlineStore: OfflineFeatureStore;
  /** Waits for the offline store's deferred writes; call before closing the database. */
  drain(): Promise<void>;
  readonly apiKeys: ApiKeyStore;
}

/** Builds the adapters over `database`; `onWriteFailure` hears of failed deferred offline-store writes. */
export function createStoreAdapters(database: Database, onWriteFailure?: (error: unknown) => void): StoreAdapters {
  const offlineStore = new OfflineFeatureRepository(database.pool, onWriteFailure);
  return {
    reader: new ResamplingMarketDataReader(new MarketDataRepository(database.prisma, database.pool)),
    featureDefinitions: new FeatureDefinitionRepository(database.prisma),
    offlineStore,
    drain: () => offlineStore.drain(),
    apiKeys: new ApiKeyRepository(database.prisma),
  };
}
