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

/** Checks every dependency now and reports their state (adapter: server/health-probe.ts, over PostgreSQL and the circuit breakers); never rejects. */
export type HealthProbe = () => Promise<HealthReport>;
