import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import type { GraphQLSchema } from "graphql";
import type { Registry } from "prom-client";
import type { ApiKeyService } from "../features/api-key.service";
import { createRequestContext, type RequestContext } from "../graphql/context";
import { formatError } from "../graphql/errors";
import type { MarketDataReader } from "../features/ports";
import type { HealthProbe } from "../features/health";
import { graphiqlPage } from "./graphiql-page";
import type { Logger } from "./logger";
import { requestObserver } from "./request-observer";

/** Path of the GraphQL endpoint; a browser GET there shows GraphiQL. */
export const GRAPHQL_PATH = "/graphql";

/** What the HTTP application is built from. */
export interface HttpAppDependencies {
  readonly schema: GraphQLSchema;
  readonly reader: MarketDataReader;
  readonly logger: Logger;
  /** Authenticates the `Authorization: Bearer <API key>` header of each GraphQL request. */
  readonly apiKeys: ApiKeyService;
  /** Serve queries without an API key (config CANDELA_ALLOW_ANONYMOUS_READS); mutations always need one. */
  readonly allowAnonymousReads: boolean;
  /** Dependencies' state, for /readyz. */
  readonly health: HealthProbe;
  /** Prometheus registry served at /metrics; request counters and latencies are added to it. */
  readonly metrics: Registry;
}

/** The Express app and the Apollo server inside it (stop Apollo on shutdown). */
export interface HttpApp {
  readonly app: Express;
  readonly apollo: ApolloServer<RequestContext>;
}

/**
 * Builds the HTTP application: GraphQL at /graphql (GraphiQL for browsers), /healthz (the process is up),
 * /readyz (PostgreSQL answers, every migration is applied, every breaker closed; 503 otherwise) and
 * /metrics (Prometheus).
 */
export async function createHttpApp(dependencies: HttpAppDependencies): Promise<HttpApp> {
  const { schema, reader, logger, apiKeys, allowAnonymousReads, health, metrics } = dependencies;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // GraphiQL and client codegen read the schema by introspection, in production too.
    introspection: true,
    // No cache hints are used; Apollo's cache-control plugin would otherwise wrap every field's resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), requestObserver(logger, metrics)],
    formatError: (formatted, error) =>
      formatError(formatted, error, (unexpected) => logger.error({ err: unexpected }, "unexpected error in a GraphQL operation")),
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/readyz", async (_request, response) => {
    const report = await health();
    response.status(report.ready ? 200 : 503).json({ status: report.ready ? "ready" : "not ready", dependencies: report.dependencies });
  });
  app.get("/metrics", async (_request, response) => {
    response.type(metrics.contentType).send(await metrics.metrics());
  });
  app.get(GRAPHQL_PATH, (request, response, next) => {
    // Browsers ask for HTML and get GraphiQL; GraphQL GET requests fall through to Apollo.
    if (request.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html") {
      response.type("html").send(graphiqlPage(GRAPHQL_PATH));
      return;
    }
    next();
  });
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = req.header("x-request-id") ?? randomUUID();
        const authentication = await apiKeys.authenticate(req.header("authorization"));
        return createRequestContext(requestId, reader, { authentication, allowAnonymousReads });
      },
    }),
  );
  return { app, apollo };
}
