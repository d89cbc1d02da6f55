import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Histogram, type Registry } from "prom-client";
import type { RequestContext } from "../graphql/context";
import { clientErrorCode } from "../graphql/errors";
import type { Logger } from "./logger";

/**
 * Apollo plugin that logs every GraphQL request (pino: request id, operation name, duration, outcome, error
 * codes) and records it in Prometheus: candela_graphql_requests_total{operation,outcome} and
 * candela_graphql_request_duration_seconds{operation}.
 */
export function requestObserver(logger: Logger, registry: Registry): ApolloServerPlugin<RequestContext> {
  const requests = new Counter({
    name: "candela_graphql_requests_total",
    help: "GraphQL requests by operation name and outcome (ok, client_error, server_error).",
    labelNames: ["operation", "outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "candela_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name, seconds.",
    labelNames: ["operation"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = operationName ?? "anonymous";
          // As the client will see them: a resolver's DomainError has its code only once formatted.
          const codes = (errors ?? []).map(clientErrorCode);
          const outcome = codes.length === 0 ? "ok" : codes.includes("INTERNAL_SERVER_ERROR") ? "server_error" : "client_error";
          requests.inc({ operation, outcome });
          duration.observe({ operation }, seconds);
          logger.info(
            { requestId: contextValue.requestId, operation, outcome, errorCodes: codes.length > 0 ? codes : undefined, ms: Math.round(seconds * 1e4) / 10 },
            "graphql request",
          );
        },
      };
    },
  };
}
