import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type ContainerType } from "type-graphql";
import { BarQueryService } from "../features/bar-query.service";
import { IndicatorQueryService } from "../features/indicator-query.service";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { FeatureRetrievalService } from "../features/feature-retrieval.service";
import type { FeatureDefinitionStore, MarketDataReader, OfflineFeatureStore } from "../features/ports";
import { authChecker } from "./auth-checker";
import { BarResolver } from "./bar.resolver";
import { FeatureResolver } from "./feature.resolver";
import { IndicatorResolver } from "./indicator.resolver";
import { InstrumentResolver } from "./instrument.resolver";

/** The services the resolvers are built from. */
export interface GraphQLServices {
  readonly reader: MarketDataReader;
  readonly featureDefinitions: FeatureDefinitionStore;
  readonly offlineStore: OfflineFeatureStore;
}

/**
 * Builds the executable schema. Resolvers get their services through a tiny container instead of
 * reaching for globals, so tests can build a schema over any MarketDataReader.
 */
export async function buildCandelaSchema(services: GraphQLServices): Promise<GraphQLSchema> {
  const registry = new FeatureRegistryService(services.featureDefinitions);
  const resolvers = new Map<Function, object>([
    [InstrumentResolver, new InstrumentResolver(services.reader)],
    [BarResolver, new BarResolver(new BarQueryService(services.reader))],
    [IndicatorResolver, new IndicatorResolver(new IndicatorQueryService(services.reader))],
    [FeatureResolver, new FeatureResolver(registry, new FeatureRetrievalService(registry, services.reader, services.offlineStore))],
  ]);
  const container: ContainerType = {
    get(resolverClass: Function) {
      const resolver = resolvers.get(resolverClass);
      if (resolver === undefined) throw new Error(`No resolver instance registered for ${resolverClass.name}`);
      return resolver;
    },
  };
  return buildSchema({
    resolvers: [InstrumentResolver, BarResolver, IndicatorResolver, FeatureResolver],
    container,
    authChecker,
    validate: false,
  });
}

/** The SDL committed as schema.graphql: sorted so that diffs show real changes only. */
export function printCandelaSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
