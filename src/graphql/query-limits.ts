import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { MaxTokensParserWLexer } from "@escape.tech/graphql-armor-max-tokens";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import { DomainError, ErrorCode } from "../domain/errors";

/** The limits every operation must keep before it runs (server configuration CANDELA_MAX_QUERY_*). */
export interface QueryLimits {
  /** Most nested selection levels (introspection's `__schema` not counted). */
  readonly maxDepth: number;
  /** Most aliases in the operation, its fragments included. */
  readonly maxAliases: number;
  /** Most lexical tokens in the document (names, punctuation, values). */
  readonly maxTokens: number;
  /** Most directives (`@skip`, `@include`, ...) in the operation. */
  readonly maxDirectives: number;
  /** Most bar-values the operation may touch (graphql/query-cost.ts, features/query-cost.ts). */
  readonly maxCost: number;
}

/** The defaults: generous for every query this API serves, far below what hurts the server. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 8, maxAliases: 15, maxTokens: 1_000, maxDirectives: 50, maxCost: 1_000_000 };

/** What a user can change when a limit refuses the request. */
const ADVICE: Readonly<Record<keyof QueryLimits, string>> = {
  maxDepth: "Ask for less deeply nested fields.",
  maxAliases: "Send fewer aliased fields per request, or split the request.",
  maxTokens: "Send a shorter document, or split the request.",
  maxDirectives: "Use fewer directives.",
  maxCost: "Ask for shorter ranges, fewer features or specs, fewer symbols or fewer aliased fields, or split the request.",
};

/**
 * The error of a refused operation: code QUERY_TOO_COMPLEX (a DomainError, so responses, logs and metrics
 * classify it as the client's), extensions `limit` (e.g. "maxDepth") and `maximum`, HTTP status 400.
 * @param problem what was over the limit, naming the limit, its value and the request's figure
 */
export function queryTooComplex(limit: keyof QueryLimits, maximum: number, problem: string): GraphQLError {
  const message = `${problem} ${ADVICE[limit]}`;
  return new GraphQLError(message, {
    originalError: new DomainError(ErrorCode.QUERY_TOO_COMPLEX, message, { limit, maximum }),
    extensions: { http: { status: 400 } },
  });
}

/**
 * graphql-js validation rules for depth, aliases, directives (GraphQL Armor's rules) and tokens (Armor's
 * token-counting parser over the document's source), each reporting a `queryTooComplex` error with Armor's
 * figures ("Query depth limit of 8 exceeded, found 9."). Validation runs once per distinct document
 * (Apollo keeps validated documents), so these cost nothing on repeated queries.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const report = (limit: keyof QueryLimits) => ({
    n: limits[limit],
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(queryTooComplex(limit, limits[limit], armorFigures(error)))],
  });
  return [maxTokensRule(limits.maxTokens), maxDepthRule(report("maxDepth")), maxAliasesRule(report("maxAliases")), maxDirectivesRule(report("maxDirectives"))];
}

/** Counts the document's tokens with Armor's token-counting parser (the document parsed before: it cannot fail). */
function maxTokensRule(maximum: number): ValidationRule {
  return (context) => {
    const source = context.getDocument().loc?.source;
    if (source !== undefined) {
      const parser = new MaxTokensParserWLexer(source, { n: maximum, propagateOnRejection: false });
      parser.parseDocument();
      if (parser.tokenCount > maximum) {
        context.reportError(queryTooComplex("maxTokens", maximum, `Token limit of ${maximum} exceeded, found ${parser.tokenCount}.`));
      }
    }
    return {};
  };
}

/** Armor's message without its misleading "Syntax Error: " prefix, e.g. "Token limit of 1000 exceeded." */
function armorFigures(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, "");
}
