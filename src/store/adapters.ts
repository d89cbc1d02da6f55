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
  readonly apiKeys: ApiKeyStore;
}

/** Builds the adapters over `database`. */
export function createStoreAdapters(database: Database): StoreAdapters {
  return {
    reader: new ResamplingMarketDataReader(new MarketDataRepository(database.prisma, database.pool)),
    featureDefinitions: new FeatureDefinitionRepository(database.prisma),
    offlineStore: new OfflineFeatureRepository(database.pool),
    apiKeys: new ApiKeyRepository(database.prisma),
  };
}
