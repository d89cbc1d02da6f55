/**
 * Error codes shared by every layer. The GraphQL boundary copies them into `extensions.code`;
 * the CLI prints them beside the message. Values are the wire strings.
 */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  UNAVAILABLE = "UNAVAILABLE",
  RATE_LIMITED = "RATE_LIMITED",
  /** The request is refused before it runs: over a query limit (depth, aliases, tokens, directives, cost). */
  QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX",
}

/**
 * An error whose message is meant for the user: it says what was wrong and how to fix it.
 * Anything thrown that is not a DomainError is a bug and is masked at the boundary.
 */
export class DomainError extends Error {
  /**
   * @param code machine-readable category, e.g. ErrorCode.BAD_USER_INPUT
   * @param message what went wrong, in words a user can act on
   * @param details optional structured context (e.g. the offending argument), sent as extensions
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Shorthand for a DomainError with code BAD_USER_INPUT. */
export function badUserInput(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
}

/** Shorthand for a DomainError with code NOT_FOUND. */
export function notFound(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, message, details);
}

/** Longest piece of user input an error message repeats. */
const ECHO_LIMIT = 40;

/**
 * User input as an error message may quote it: JSON-quoted (control characters escaped) and cut to its first
 * ECHO_LIMIT characters, so that a 1 MB argument never comes back in an error. E.g. `"BTCUSDT"`, `"AAAA…" (1048576 characters)`.
 */
export function quoteInput(text: string): string {
  if (text.length <= ECHO_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ECHO_LIMIT))}… (${text.length} characters)`;
}
