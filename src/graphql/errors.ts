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

/**
 * The `extensions.code` the client sees for an error raised while handling an operation (what `formatError`
 * answers): a DomainError's code, a client code the server already set, else INTERNAL_SERVER_ERROR.
 * For logs and metrics, which see the errors before they are formatted.
 */
export function clientErrorCode(error: unknown): string {
  const original = error instanceof GraphQLError && error.originalError !== undefined ? error.originalError : error;
  if (original instanceof DomainError) return original.code;
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  return typeof code === "string" && CLIENT_CODES.has(code) ? code : "INTERNAL_SERVER_ERROR";
}

/**
 * Turns any error raised while executing an operation into what the client sees. DomainErrors keep their
 * code and message; errors the server already classed as
 * the client's pass through without stack traces; anything else is a bug: it is logged via `logUnexpected`
 * and masked as "Unexpected error." with code INTERNAL_SERVER_ERROR (envelop's masked-errors rule).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logUnexpected: (error: unknown) => void,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError !== undefined ? error.originalError : error;
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && CLIENT_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  logUnexpected(original);
  return { ...base, message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
