/** The state of one dependency as health checks report it. */
export interface DependencyHealth {
  /** e.g. "database", "migrations", "redis-cache" (a circuit breaker). */
  readonly name: string;
  /** True when the dependency answers (for a breaker: it is closed). */
  readonly healthy: boolean;
  /** What was seen, e.g. "up", "2 migrations pending", "breaker open". */
  readonly detail: string;
}

/** Every dependency's state; `ready` when all are healthy. */
export interface HealthReport {
  readonly ready: boolean;
  readonly dependencies: readonly DependencyHealth[];
}

/** Checks the dependencies now (a port: the server implements it over PostgreSQL and the breakers). */
export type HealthProbe = () => Promise<HealthReport>;
