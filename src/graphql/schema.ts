import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { buildSchema, type ContainerType } from "type-graphql";
import type { BarQueryService } from "../features/bar-query.service";
import type { FeatureRegistryService } from "../features/feature-registry.service";
import type { LatestFeaturesService } from "../features/latest-features.service";
import type { HealthProbe } from "../features/ports/health-probe";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { CacheStats, QueryCache } from "../features/ports/query-cache";
import type { LiveIngestService } from "../ingest/live-ingest.service";
import type { ReadinessService } from "../features/readiness.service";
import type { BackfillService } from "../ingest/backfill.service";
import { BackfillResolver } from "./backfill.resolver";
import type { PointInTimeJoinService } from "../features/point-in-time-join.service";
import { PointInTimeResolver } from "./point-in-time.resolver";
import { validateArgument } from "./argument-validation";
import { DateTimeScalar } from "./date-time.scalar";
import { authChecker } from "./auth-checker";
import { BarResolver } from "./bar.resolver";
import { FeatureResolver } from "./feature.resolver";
import { IndicatorResolver } from "./indicator.resolver";
import { InstrumentResolver, SeriesResolver } from "./instrument.resolver";
import { LatestFeaturesResolver } from "./latest-features.resolver";
import { LiveResolver } from "./live.resolver";
import { OperationsResolver } from "./operations.resolver";
import type { QueryResponses } from "./query-responses.service";
import { ReadinessResolver } from "./readiness.resolver";

/** The services the resolvers call (built by server/services.ts). */
export interface GraphQLServices {
  readonly reader: MarketDataReader;
  readonly registry: FeatureRegistryService;
  readonly barQueries: BarQueryService;
  readonly responses: QueryResponses;
  readonly latest: LatestFeaturesService;
  readonly ingest: LiveIngestService;
  readonly readiness: ReadinessService;
  readonly backfill: BackfillService;
  readonly pointInTime: PointInTimeJoinService;
  readonly queryCache: QueryCache & { refreshStats(): Promise<CacheStats> };
  readonly health: HealthProbe;
}

/**
 * Builds the executable schema. Resolvers get their services through a tiny container instead of
 * reaching for globals, so tests can build a schema over any services.
 */
export async function buildCandelaSchema(services: GraphQLServices): Promise<GraphQLSchema> {
  const resolvers = new Map<Function, object>([
    [InstrumentResolver, new InstrumentResolver(services.reader)],
    [SeriesResolver, new SeriesResolver(services.reader)],
    [BarResolver, new BarResolver(services.barQueries)],
    [IndicatorResolver, new IndicatorResolver(services.responses)],
    [FeatureResolver, new FeatureResolver(services.registry, services.responses)],
    [LatestFeaturesResolver, new LatestFeaturesResolver(services.latest)],
    [LiveResolver, new LiveResolver(services.ingest)],
    [ReadinessResolver, new ReadinessResolver(services.readiness)],
    [OperationsResolver, new OperationsResolver(services.queryCache, services.health)],
    [BackfillResolver, new BackfillResolver(services.backfill)],
    [PointInTimeResolver, new PointInTimeResolver(services.pointInTime)],
  ]);
  const container: ContainerType = {
    get(resolverClass: Function) {
      const resolver = resolvers.get(resolverClass);
      if (resolver === undefined) throw new Error(`No resolver instance registered for ${resolverClass.name}`);
      return resolver;
    },
  };
  return buildSchema({
    resolvers: [InstrumentResolver, SeriesResolver, BarResolver, IndicatorResolver, FeatureResolver, LatestFeaturesResolver, LiveResolver, ReadinessResolver, OperationsResolver, BackfillResolver, PointInTimeResolver],
    container,
    authChecker,
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Every subscription brings its own `subscribe` (LiveSubscriptions); type-graphql still insists on a pubsub.
    pubSub: createPubSub(),
  });
}

/** The schema for printing and validating documents only: its resolvers have no services to call. */
export function buildSchemaWithoutServices(): Promise<GraphQLSchema> {
  // Resolver constructors only keep their services: none is called while printing or validating.
  return buildCandelaSchema({} as GraphQLServices);
}

/** The SDL committed as schema.graphql: sorted so that diffs show real changes only. */
export function printCandelaSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
