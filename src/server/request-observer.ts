import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import { Counter, Histogram, type Registry } from "prom-client";
import type { RequestContext } from "../graphql/context";
import { clientErrorCode } from "../graphql/errors";
import type { Logger } from "./logger";

/** Longest client-chosen operation name a log line repeats. */
const LOGGED_NAME_LIMIT = 64;

/**
 * The `operation` label of a request: the root field it ran (a name from the schema, so the label set is bounded),
 * "multiple" for several root fields, "none" when no operation was resolved (unparsable, invalid, refused before
 * it ran). Never the client's operation name, which anyone can vary at will.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  if (operation === undefined) return "none";
  const rootFields = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    rootFields.add(selection.kind === Kind.FIELD ? selection.name.value : "fragment");
  }
  return rootFields.size === 1 ? [...rootFields][0] : "multiple";
}

/** "ok", "client_error" or "server_error", from the codes the client sees. */
function outcomeOf(codes: readonly string[]): string {
  return codes.length === 0 ? "ok" : codes.includes("INTERNAL_SERVER_ERROR") ? "server_error" : "client_error";
}

/** The request observer: the Apollo plugin, and what records the requests Apollo never sees. */
export interface RequestObserver {
  readonly plugin: ApolloServerPlugin<RequestContext>;
  /** Records a request refused before Apollo (an unreadable body), with the code it was answered. */
  refusedBeforeApollo(code: string, requestId: string | undefined): void;
}

/**
 * Logs every GraphQL request and records it in Prometheus, however it ends: resolved or not (parse and validation
 * errors, limits), when the request context could not be built (rate limits, an unverifiable key), and when its body
 * could not be read (through `refusedBeforeApollo`). Metrics: candela_graphql_requests_total{operation,outcome} and
 * candela_graphql_request_duration_seconds{operation}, `operation` from `operationLabel`. Log lines (pino) carry the
 * request id, the label, the client's operation name cut to 64 characters, the outcome, the error codes and the
 * duration; the API key's id and prefix when one authenticated the request, never the key.
 */
export function requestObserver(logger: Logger, registry: Registry): RequestObserver {
  const requests = new Counter({
    name: "candela_graphql_requests_total",
    help: "GraphQL requests by root field (operation) and outcome (ok, client_error, server_error).",
    labelNames: ["operation", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "candela_graphql_request_duration_seconds",
    help: "GraphQL request latency by root field (operation), seconds.",
    labelNames: ["operation"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const plugin: ApolloServerPlugin<RequestContext> = {
    async contextCreationDidFail({ error }) {
      const codes = [clientErrorCode(error)];
      const outcome = outcomeOf(codes);
      requests.inc({ operation: "none", outcome });
      logger.info({ operation: "none", outcome, errorCodes: codes }, "graphql request refused before it ran");
    },
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let label = "none";
      return {
        async didResolveOperation({ operation }) {
          label = operationLabel(operation);
        },
        async willSendResponse({ operationName, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          // As the client will see them: a resolver's DomainError has its code only once formatted.
          const codes = (errors ?? []).map(clientErrorCode);
          const outcome = outcomeOf(codes);
          requests.inc({ operation: label, outcome });
          duration.observe({ operation: label }, seconds);
          const { authentication } = contextValue.access;
          logger.info(
            {
              requestId: contextValue.requestId,
              operation: label,
              operationName: operationName?.slice(0, LOGGED_NAME_LIMIT),
              apiKey: authentication.kind === "key" ? { id: authentication.key.id, prefix: authentication.key.prefix } : undefined,
              outcome,
              errorCodes: codes.length > 0 ? codes : undefined,
              ms: Math.round(seconds * 1e4) / 10,
            },
            "graphql request",
          );
        },
      };
    },
  };
  return {
    plugin,
    refusedBeforeApollo(code, requestId) {
      requests.inc({ operation: "none", outcome: "client_error" });
      logger.info({ requestId, operation: "none", outcome: "client_error", errorCodes: [code] }, "graphql request refused before it ran");
    },
  };
}
