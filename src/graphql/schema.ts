import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type ContainerType } from "type-graphql";
import { BarQueryService } from "../features/bar-query.service";
import { IndicatorQueryService } from "../features/indicator-query.service";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { FeatureRetrievalService } from "../features/feature-retrieval.service";
import type { CacheStats, OnlineFeatureStore, QueryCache } from "../features/cache-ports";
import type { HealthProbe } from "../features/health";
import { LatestFeaturesService } from "../features/latest-features.service";
import type { FeatureDefinitionStore, MarketDataReader, OfflineFeatureStore } from "../features/ports";
import { QueryResultCache } from "../features/query-result-cache";
import { authChecker } from "./auth-checker";
import { BarResolver } from "./bar.resolver";
import { FeatureResolver } from "./feature.resolver";
import { IndicatorResolver } from "./indicator.resolver";
import { InstrumentResolver } from "./instrument.resolver";
import { LatestFeaturesResolver } from "./latest-features.resolver";
import { OperationsResolver } from "./operations.resolver";

/** The services the resolvers are built from. */
export interface GraphQLServices {
  readonly reader: MarketDataReader;
  readonly featureDefinitions: FeatureDefinitionStore;
  readonly offlineStore: OfflineFeatureStore;
  readonly queryCache: QueryCache & { refreshStats(): Promise<CacheStats> };
  readonly onlineStore: OnlineFeatureStore;
  readonly health: HealthProbe;
  /** Puts a computing service behind the feature-computation circuit breaker. */
  readonly guardComputation: <T extends object>(service: T) => T;
}

/**
 * Builds the executable schema. Resolvers get their services through a tiny container instead of
 * reaching for globals, so tests can build a schema over any MarketDataReader.
 */
export async function buildCandelaSchema(services: GraphQLServices): Promise<GraphQLSchema> {
  const registry = new FeatureRegistryService(services.featureDefinitions);
  const retrieval = services.guardComputation(new FeatureRetrievalService(registry, services.reader, services.offlineStore));
  const resultCache = new QueryResultCache(services.queryCache);
  const resolvers = new Map<Function, object>([
    [InstrumentResolver, new InstrumentResolver(services.reader)],
    [BarResolver, new BarResolver(new BarQueryService(services.reader))],
    [IndicatorResolver, new IndicatorResolver(services.guardComputation(new IndicatorQueryService(services.reader)), resultCache)],
    [FeatureResolver, new FeatureResolver(registry, retrieval, resultCache)],
    [LatestFeaturesResolver, new LatestFeaturesResolver(new LatestFeaturesService(registry, retrieval, services.reader, services.onlineStore, services.queryCache))],
    [OperationsResolver, new OperationsResolver(services.queryCache, services.health)],
  ]);
  const container: ContainerType = {
    get(resolverClass: Function) {
      const resolver = resolvers.get(resolverClass);
      if (resolver === undefined) throw new Error(`No resolver instance registered for ${resolverClass.name}`);
      return resolver;
    },
  };
  return buildSchema({
    resolvers: [InstrumentResolver, BarResolver, IndicatorResolver, FeatureResolver, LatestFeaturesResolver, OperationsResolver],
    container,
    authChecker,
    validate: false,
  });
}

/** The schema for printing and validating documents only: its resolvers have no services to call. */
export function buildSchemaWithoutServices(): Promise<GraphQLSchema> {
  // Only what constructors touch: the latestFeatures service subscribes to the query cache's bar changes.
  const inertServices = { guardComputation: (service: object) => service, queryCache: { onSeriesChanged: () => undefined } };
  return buildCandelaSchema(inertServices as unknown as GraphQLServices);
}

/** The SDL committed as schema.graphql: sorted so that diffs show real changes only. */
export function printCandelaSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
