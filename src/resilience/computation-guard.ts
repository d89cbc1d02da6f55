import { DomainError } from "../domain/errors";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "./circuit-breaker";
import { guardCalls } from "./guarded-calls";

// Long enough for a cold series of 500,000 bars; a computation past it signals overload, not work.
const COMPUTATION_TIMEOUT_MS = 30_000;

/** The breaker around feature and indicator computation, and how to put a service behind it. */
export interface ComputationGuard {
  readonly breaker: GuardedDependency;
  /** `service` with every method run through the breaker (timeouts and an open breaker: UNAVAILABLE). */
  guard<T extends object>(service: T): T;
}

/**
 * A "feature-computation" circuit breaker: computations that time out or fail with a bug count against it;
 * DomainErrors (a user's mistake, or a dependency already reported UNAVAILABLE by its own breaker) do not,
 * so a database outage is reported as the database's.
 */
export function createComputationGuard(onStateChange?: (change: CircuitStateChange) => void): ComputationGuard {
  const breaker = createCircuitBreaker("feature-computation", {
    timeoutMs: COMPUTATION_TIMEOUT_MS,
    isIgnoredError: (error) => error instanceof DomainError,
    onStateChange,
  });
  return { breaker, guard: (service) => guardCalls(service, breaker, "feature computation", () => false) };
}
