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

/** Socket and server codes of a dependency failure, in words for clients (no host, port or library text). */
const REASONS: Readonly<Record<string, string>> = {
  EOPENBREAKER: "breaker open after repeated failures",
  ETIMEDOUT: "timed out",
  ESEMLOCKED: "too many calls waiting",
  ESHUTDOWN: "shutting down",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection lost",
  EPIPE: "connection lost",
  ENOTFOUND: "host not found",
  "57014": "statement timed out",
  "53300": "too many connections",
  "57P01": "server shutting down",
  "57P02": "server shutting down",
  "57P03": "server starting up",
  P1001: "connection refused",
  P1002: "timed out",
  P1017: "connection lost",
};

/** A fixed reason for `cause`, never its message (which may name hosts, ports, SQL or the driver). */
function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (REASONS[code] !== undefined) return REASONS[code];
    if (code.startsWith("08")) return "connection lost";
  }
  // Drivers report some lost connections without a code (ioredis, node-postgres).
  if (cause instanceof Error && /Connection is closed|isn't writeable|Connection terminated/i.test(cause.message)) return "connection lost";
  return "not answering";
}

/**
 * A DomainError UNAVAILABLE saying `dependency` cannot be reached, e.g.
 * "The online feature store (Redis) is unreachable (breaker open after repeated failures). Retry shortly."
 * details: { dependency, reason }, the reason from a fixed list ("breaker open after repeated failures", "timed out",
 * "connection refused", "connection lost", "statement timed out", ..., else "not answering"); the driver's message
 * never reaches the client.
 */
export function unavailable(dependency: string, cause: unknown): DomainError {
  const reason = reasonOf(cause);
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
