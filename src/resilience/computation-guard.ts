import { DomainError } from "../domain/errors";
import { isCallerError } from "./breaker-errors";
import { createCircuitBreaker, type CircuitStateChange, type GuardedDependency } from "./circuit-breaker";
import { guardCalls } from "./guarded-calls";

/** Default computation timeout, ms: long enough for a cold series of 500,000 bars; past it signals overload, not work. */
export const DEFAULT_COMPUTATION_TIMEOUT_MS = 30_000;

/** The breaker around feature and indicator computation, and how to put a service behind it. */
export interface ComputationGuard {
  readonly breaker: GuardedDependency;
  /**
   * `service` with every method run through the breaker (timeouts and an open breaker: UNAVAILABLE). Each call
   * gets an AbortSignal after its own arguments, aborted when the call times out: the service's methods take
   * it as an optional last parameter and stop their work (statements cancelled, no further computation).
   */
  guard<T extends object>(service: T): T;
}

/** Options of the computation guard. */
export interface ComputationGuardOptions {
  /** A computation slower than this is answered UNAVAILABLE and cancelled, ms. Default DEFAULT_COMPUTATION_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Hears of the breaker's state changes, e.g. to log them. */
  readonly onStateChange?: (change: CircuitStateChange) => void;
}

/**
 * A "feature-computation" circuit breaker: computations that time out or fail with a bug count against it;
 * DomainErrors (a user's mistake, or a dependency already reported UNAVAILABLE by its own breaker) do not,
 * so a database outage is reported as the database's; nor does the AbortError of work cancelled at its timeout.
 */
export function createComputationGuard(options: ComputationGuardOptions = {}): ComputationGuard {
  const breaker = createCircuitBreaker("feature-computation", {
    timeoutMs: options.timeoutMs ?? DEFAULT_COMPUTATION_TIMEOUT_MS,
    isIgnoredError: (error) => error instanceof DomainError || isCallerError(error),
    onStateChange: options.onStateChange,
  });
  return { breaker, guard: (service) => guardCalls(service, breaker, "feature computation", () => false, true) };
}
