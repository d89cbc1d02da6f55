import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type ContainerType } from "type-graphql";
import { BarQueryService } from "../features/bar-query.service";
import { IndicatorQueryService } from "../features/indicator-query.service";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { FeatureRetrievalService } from "../features/feature-retrieval.service";
import type { CacheStats, QueryCache } from "../features/ports/query-cache";
import type { OnlineFeatureStore } from "../features/ports/online-feature-store";
import type { HealthProbe } from "../features/ports/health-probe";
import { LatestFeaturesService } from "../features/latest-features.service";
import type { FeatureDefinitionStore } from "../features/ports/feature-definition-store";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { OfflineFeatureStore } from "../features/ports/offline-feature-store";
import { QueryResultCache } from "../features/query-result-cache";
import { validateArgument } from "./argument-validation";
import { authChecker } from "./auth-checker";
import { BarResolver } from "./bar.resolver";
import { FeatureResolver } from "./feature.resolver";
import { IndicatorResolver } from "./indicator.resolver";
import { InstrumentResolver } from "./instrument.resolver";
import { LatestFeaturesResolver } from "./latest-features.resolver";
import { OperationsResolver } from "./operations.resolver";
import { QueryResponses } from "./query-responses.service";

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
  const indicatorQueries = services.guardComputation(new IndicatorQueryService(services.reader));
  const responses = new QueryResponses(indicatorQueries, retrieval, new QueryResultCache(services.queryCache));
  const resolvers = new Map<Function, object>([
    [InstrumentResolver, new InstrumentResolver(services.reader)],
    [BarResolver, new BarResolver(new BarQueryService(services.reader))],
    [IndicatorResolver, new IndicatorResolver(responses)],
    [FeatureResolver, new FeatureResolver(registry, responses)],
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
    validateFn: validateArgument,
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
