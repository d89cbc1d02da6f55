import { DomainError, ErrorCode } from "../domain/errors";

/**
 * How breaker outcomes and dependency failures become errors a user can read. opossum rejects with
 * stable codes (nodeshift/opossum lib/circuit.js): EOPENBREAKER (open, failing fast), ETIMEDOUT (the call
 * exceeded the timeout), ESEMLOCKED (capacity reached), ESHUTDOWN (breaker shut down).
 */

/** The opossum rejection codes that mean "the dependency is not answering now". */
const BREAKER_CODES: ReadonlySet<string> = new Set(["EOPENBREAKER", "ETIMEDOUT", "ESEMLOCKED", "ESHUTDOWN"]);

/** True when `error` is opossum's own rejection (open breaker, timeout, capacity, shutdown), not the call's error. */
export function isBreakerRejection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && BREAKER_CODES.has(code);
}

/** True when the breaker gave up waiting for the call (opossum code ETIMEDOUT); the call itself may still run. */
export function isBreakerTimeout(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "ETIMEDOUT";
}

/** True when the breaker was open (opossum code EOPENBREAKER): the call was not attempted. */
export function isOpenBreaker(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "EOPENBREAKER";
}

/**
 * The breakers' `errorFilter`: a DomainError other than UNAVAILABLE (BAD_USER_INPUT, NOT_FOUND,
 * UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, QUERY_TOO_COMPLEX) is about the request, not the dependency, and
 * an AbortError is work its caller cancelled (e.g. a computation past its timeout stopping its database
 * reads): neither counts toward opening a breaker. The error still reaches the caller.
 */
export function isCallerError(error: unknown): boolean {
  if (error instanceof Error && error.name === "AbortError") return true;
  return error instanceof DomainError && error.code !== ErrorCode.UNAVAILABLE;
}

/**
 * A DomainError UNAVAILABLE saying `dependency` cannot be reached, e.g.
 * "The online feature store (Redis) is unreachable: breaker open. Retry shortly."
 * details: { dependency, reason } with reason "breaker open" | "timed out" | the underlying message.
 */
export function unavailable(dependency: string, cause: unknown): DomainError {
  const code = (cause as { code?: unknown } | null)?.code;
  const reason =
    code === "EOPENBREAKER"
      ? "breaker open after repeated failures"
      : code === "ETIMEDOUT"
        ? "timed out"
        : cause instanceof Error
          ? cause.message
          : String(cause);
  return new DomainError(ErrorCode.UNAVAILABLE, `The ${dependency} is unreachable (${reason}). Retry shortly.`, { dependency, reason });
}

/**
 * Maps an error of a guarded call for callers: DomainErrors pass unchanged; breaker rejections and
 * timeouts become UNAVAILABLE for `dependency`; anything else passes unchanged (the caller decides
 * whether it is a dependency failure or a bug).
 */
export function mapBreakerError(error: unknown, dependency: string): unknown {
  if (error instanceof DomainError) return error;
  return isBreakerRejection(error) ? unavailable(dependency, error) : error;
}
