import type { GuardedDependency } from "../../resilience/circuit-breaker";
import { guardCalls } from "../../resilience/guarded-calls";

/**
 * PostgreSQL error codes and Node socket errors that mean "the database cannot be reached" (class 08
 * connection exceptions, 57P0x shutdowns, 53300 too many connections, 57014 a statement cancelled by the
 * server's statement_timeout), as opposed to a bug in a query.
 */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300", "57014"]);

/** True when `error` says PostgreSQL is unreachable (connection refused, reset, shut down, ...) or too slow (statement timeout). */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
  // Prisma: P1001 can't reach the server, P1002 timed out, P1017 server closed the connection.
  if (code === "P1001" || code === "P1002" || code === "P1017") return true;
  // node-postgres and the Prisma adapter report a lost connection without a code.
  return (
    error instanceof Error &&
    /Connection terminated|connection timeout|Client has encountered a connection error|Can't reach database server|ECONNREFUSED/i.test(error.message)
  );
}

/**
 * Wraps every method of a PostgreSQL adapter so each call runs through the PostgreSQL circuit breaker:
 * an unreachable database, an open breaker or a timeout becomes DomainError UNAVAILABLE (fail fast, retry
 * later); other errors pass through unchanged. Caller mistakes (DomainErrors) never trip the breaker.
 */
export function guardDatabase<T extends object>(adapter: T, breaker: GuardedDependency): T {
  return guardCalls(adapter, breaker, "database", isDatabaseUnreachable);
}
