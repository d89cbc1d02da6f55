import { Arg, Authorized, Mutation, Query, Resolver } from "type-graphql";
import { Scope } from "../access/api-key";
import type { CacheStats, QueryCache } from "../features/ports/query-cache";
import type { HealthProbe } from "../features/ports/health-probe";
import { CacheStatsType, HealthType, InvalidationResultType } from "./operations.type";

/** Operations: health, cache statistics and cache invalidation. */
@Resolver()
export class OperationsResolver {
  constructor(
    private readonly queryCache: QueryCache & { refreshStats(): Promise<CacheStats> },
    private readonly probe: HealthProbe,
  ) {}

  @Authorized(Scope.READ)
  @Query(() => HealthType, { description: "Dependencies (database, migrations, Redis breakers) and whether all are healthy." })
  async health(): Promise<HealthType> {
    return HealthType.from(await this.probe());
  }

  @Authorized(Scope.READ)
  @Query(() => CacheStatsType, { description: "Hits, misses, hit rate, evictions and size of the query cache, per tier and in total." })
  async cacheStats(): Promise<CacheStatsType> {
    return CacheStatsType.from(await this.queryCache.refreshStats());
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => InvalidationResultType, {
    description:
      "Drops cached query results whose name matches a Redis-style glob over `<symbol>/<timeframe>:<query>`, e.g. " +
      '"BTCUSDT/*" (one symbol), "BTCUSDT/1h:*" (one series), "*" (everything). New bars invalidate their symbol by themselves.',
  })
  async invalidateCache(
    @Arg("pattern", () => String, { description: 'Glob of at most 256 characters: * any characters, ? one, [abc] [^abc] [a-z] classes, \\ escapes, e.g. "BTCUSDT/*".' }) pattern: string,
  ): Promise<InvalidationResultType> {
    return Object.assign(new InvalidationResultType(), { dropped: await this.queryCache.invalidatePattern(pattern) });
  }
}
