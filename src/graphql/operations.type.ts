import { Field, Float, Int, ObjectType } from "type-graphql";
import type { CacheStats, TierStats } from "../features/ports/query-cache";
import type { HealthReport } from "../features/ports/health-probe";

@ObjectType("CacheTierStats", { description: "Counters of one cache tier since the process started." })
export class CacheTierStatsType {
  @Field(() => Float, { description: "Lookups this tier answered." })
  hits!: number;

  @Field(() => Float, { description: "Lookups this tier could not answer." })
  misses!: number;

  @Field(() => Float, { description: "hits / (hits + misses), 0..1; 0 before the first lookup." })
  hitRate!: number;

  @Field(() => Float, { description: "Entries dropped to make room (not expiry or invalidation); always 0 for Redis, which evicts server-wide." })
  evictions!: number;

  @Field(() => Float, { description: "Entries held now (sampled for Redis)." })
  size!: number;

  static from(stats: TierStats): CacheTierStatsType {
    return Object.assign(new CacheTierStatsType(), stats);
  }
}

@ObjectType("CacheStats", { description: "Query cache statistics: the in-process tier, the Redis tier and both together." })
export class CacheStatsType {
  @Field(() => CacheTierStatsType, { description: "The in-process LRU tier." })
  process!: CacheTierStatsType;

  @Field(() => CacheTierStatsType, { nullable: true, description: "The Redis tier; null when no REDIS_URL is configured." })
  redis!: CacheTierStatsType | null;

  @Field(() => CacheTierStatsType, { description: "As a caller sees it: a hit is a lookup either tier answered." })
  total!: CacheTierStatsType;

  @Field(() => Float, { description: "Redis calls that failed or were skipped (breaker open) and answered from the process tier instead." })
  redisFallbacks!: number;

  static from(stats: CacheStats): CacheStatsType {
    return Object.assign(new CacheStatsType(), {
      process: CacheTierStatsType.from(stats.process),
      redis: stats.redis === null ? null : CacheTierStatsType.from(stats.redis),
      total: CacheTierStatsType.from(stats.total),
      redisFallbacks: stats.redisFallbacks,
    });
  }
}

@ObjectType("DependencyHealth", { description: "One dependency of the server." })
export class DependencyHealthType {
  @Field(() => String, { description: 'e.g. "database", "migrations", "redis-cache".' })
  name!: string;

  @Field(() => Boolean, { description: "True when it answers (a circuit breaker: closed)." })
  healthy!: boolean;

  @Field(() => String, { description: 'What was seen, e.g. "up", "breaker open".' })
  detail!: string;
}

@ObjectType("Health", { description: "Whether the server and its dependencies work; `/readyz` reports the same." })
export class HealthType {
  @Field(() => Boolean, { description: "True when every dependency is healthy." })
  ready!: boolean;

  @Field(() => [DependencyHealthType], { description: "Each dependency's state." })
  dependencies!: DependencyHealthType[];

  static from(report: HealthReport): HealthType {
    return Object.assign(new HealthType(), {
      ready: report.ready,
      dependencies: report.dependencies.map((dependency) => Object.assign(new DependencyHealthType(), dependency)),
    });
  }
}

@ObjectType("InvalidationResult", { description: "What `invalidateCache` dropped." })
export class InvalidationResultType {
  @Field(() => Int, { description: "Number of distinct cache entries dropped from every tier." })
  dropped!: number;
}
