import type { Pool } from "pg";
import type { DependencyHealth, HealthProbe } from "../features/ports/health-probe";
import type { BreakerSource } from "./metrics";
import { pendingMigrations } from "../store/postgres/migrations";

// A health check must answer quickly even when PostgreSQL hangs.
const DATABASE_TIMEOUT_MS = 1_000;

/**
 * The health probe of a server: PostgreSQL answers within a second, every migration is applied, each circuit
 * breaker (Redis cache, online store) is closed, and each of `checks` (e.g. the live pipeline's listener) is healthy.
 */
export function createHealthProbe(pool: Pool, breakers: readonly BreakerSource[], checks: readonly (() => DependencyHealth)[] = []): HealthProbe {
  return async () => {
    const dependencies: DependencyHealth[] = [];
    try {
      const pending = await withTimeout(pendingMigrations(pool), DATABASE_TIMEOUT_MS);
      dependencies.push({ name: "database", healthy: true, detail: "up" });
      dependencies.push({
        name: "migrations",
        healthy: pending.length === 0,
        detail: pending.length === 0 ? "all applied" : `pending: ${pending.join(", ")}`,
      });
    } catch (error) {
      dependencies.push({ name: "database", healthy: false, detail: `unreachable: ${error instanceof Error ? error.message : String(error)}` });
    }
    for (const breaker of breakers) {
      dependencies.push({ name: breaker.name, healthy: breaker.state === "closed", detail: `breaker ${breaker.state}` });
    }
    for (const check of checks) dependencies.push(check());
    return { ready: dependencies.every((dependency) => dependency.healthy), dependencies };
  };
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
