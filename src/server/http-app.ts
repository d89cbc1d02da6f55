import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Express } from "express";
import type { GraphQLSchema } from "graphql";
import type { Pool } from "pg";
import type { ApiKeyService } from "../features/api-key.service";
import { createRequestContext, type RequestContext } from "../graphql/context";
import { formatError } from "../graphql/errors";
import type { MarketDataReader } from "../features/ports";
import { pendingMigrations } from "../store/migrations";
import { graphiqlPage } from "./graphiql-page";
import type { Logger } from "./logger";

/** Path of the GraphQL endpoint; a browser GET there shows GraphiQL. */
export const GRAPHQL_PATH = "/graphql";

/** What the HTTP application is built from. */
export interface HttpAppDependencies {
  readonly schema: GraphQLSchema;
  readonly reader: MarketDataReader;
  readonly pool: Pool;
  readonly logger: Logger;
  /** Authenticates the `Authorization: Bearer <API key>` header of each GraphQL request. */
  readonly apiKeys: ApiKeyService;
  /** Serve queries without an API key (config CANDELA_ALLOW_ANONYMOUS_READS); mutations always need one. */
  readonly allowAnonymousReads: boolean;
}

/** The Express app and the Apollo server inside it (stop Apollo on shutdown). */
export interface HttpApp {
  readonly app: Express;
  readonly apollo: ApolloServer<RequestContext>;
}

/**
 * Builds the HTTP application: GraphQL at /graphql (GraphiQL for browsers), /healthz (the process is up)
 * and /readyz (PostgreSQL answers and every migration is applied).
 */
export async function createHttpApp(dependencies: HttpAppDependencies): Promise<HttpApp> {
  const { schema, reader, pool, logger, apiKeys, allowAnonymousReads } = dependencies;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
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
    try {
      const pending = await pendingMigrations(pool);
      const ready = pending.length === 0;
      response.status(ready ? 200 : 503).json({ status: ready ? "ready" : "migrations pending", database: "up", pendingMigrations: pending });
    } catch {
      response.status(503).json({ status: "unavailable", database: "down" });
    }
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
