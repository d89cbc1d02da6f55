import { HeaderMap } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError, ErrorCode } from "../domain/errors";

/** Apollo's own codes for requests that never reached a resolver; all are the client's doing. */
const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** The error a resolver threw, when `error` is graphql-js's wrapper around it; otherwise `error` itself. */
function originalOf(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError !== undefined ? error.originalError : error;
}

/**
 * The `extensions.code` the client sees for an error raised while handling an operation (what `formatError`
 * answers): a DomainError's code, a client code the server already set, else INTERNAL_SERVER_ERROR.
 * Logs and metrics use it too, since they see the errors before they are formatted.
 */
export function clientErrorCode(error: unknown): string {
  const original = originalOf(error);
  if (original instanceof DomainError) return original.code;
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  return typeof code === "string" && CLIENT_CODES.has(code) ? code : "INTERNAL_SERVER_ERROR";
}

/**
 * Turns any error raised while executing an operation into what the client sees, with the code of
 * `clientErrorCode`. DomainErrors keep their message and details; errors the server already classed as the
 * client's pass through without stack traces; anything else is a bug: it is logged via `logUnexpected` and
 * masked as "Unexpected error." with code INTERNAL_SERVER_ERROR (envelop's masked-errors rule).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logUnexpected: (error: unknown) => void,
): GraphQLFormattedError {
  const original = originalOf(error);
  const base = { locations: formatted.locations, path: formatted.path };
  const code = clientErrorCode(error);
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { ...original.details, code } };
  }
  if (code !== "INTERNAL_SERVER_ERROR") return { ...base, message: withTimeframeHint(formatted.message), extensions: { code } };
  logUnexpected(original);
  return { ...base, message: "Unexpected error.", extensions: { code } };
}

/** graphql-js names the enum of a value it cannot coerce: `Value "1h" does not exist in "Timeframe" enum.` */
const TIMEFRAME_ENUM = /"Timeframe" (enum|cannot represent)|Enum "Timeframe"/;

/** A message about a Timeframe value, with the API's spellings beside the CLI's and CSV's (which accept both). */
function withTimeframeHint(message: string): string {
  if (!TIMEFRAME_ENUM.test(message)) return message;
  return `${message} Timeframes are M1, M5, M15, M30, H1, H4, D1 (the CLI's and CSV's labels 1m, 5m, 15m, 30m, 1h, 4h, 1d name the same ones).`;
}

/**
 * A DomainError raised outside a resolver (while building the request context, or by a plugin before execution),
 * with the HTTP status and headers of its response: Apollo reads them from `extensions.http`, and `formatError`
 * shows the DomainError's code, message and details.
 * @param headers e.g. [["retry-after", "2"]]
 */
export function withHttpStatus(error: DomainError, status: number, headers: readonly [string, string][] = []): GraphQLError {
  // Apollo wants a HeaderMap; graphql-yoga's typing of the same extension, also in scope, says Record.
  const extensions: Record<string, unknown> = { code: error.code, http: { status, headers: new HeaderMap(headers) } };
  return new GraphQLError(error.message, { originalError: error, extensions });
}
