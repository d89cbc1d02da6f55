import type { IncomingMessage, RequestListener } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { constants as zlibConstants } from "node:zlib";
import compression from "compression";
import express from "express";
import type { GraphQLSchema } from "graphql";
import type { Registry } from "prom-client";
import { Scope, scopesGrant } from "../access/api-key";
import type { ApiKeyService } from "../access/api-key.service";
import type { Authentication } from "../access/authorization";
import { DomainError, ErrorCode } from "../domain/errors";
import { createRequestContext, type RequestContext } from "../graphql/context";
import type { TrainingExportService } from "../features/training-export.service";
import type { PointInTimeJoinService } from "../features/point-in-time-join.service";
import { EXPORT_PATH, exportRoute, JOIN_PATH, joinRoute } from "./export-route";
import { serveChartsPage } from "./charts-page";
import { formatError, withHttpStatus } from "../graphql/errors";
import type { LiveSubscriptions } from "../graphql/live-subscriptions.service";
import { queryLimitRules, type QueryLimits } from "../graphql/query-limits";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { HealthProbe } from "../features/ports/health-probe";
import { GRAPHIQL_ASSETS_PATH, graphiqlAsset, graphiqlPage } from "./graphiql-page";
import { graphqlRequestHandler } from "./graphql-request-handler";
import { introspectionGate } from "./introspection-gate";
import { queryCostPlugin } from "./query-cost-plugin";
import type { Logger } from "./logger";
import { metricsAccess } from "./metrics-access";
import type { RequestRateLimits } from "./rate-limits";
import { assignRequestId } from "./request-id";
import { requestObserver } from "./request-observer";
import { securityHeaders } from "./security-headers";

/** Path of the GraphQL endpoint; a browser GET there shows GraphiQL. */
export const GRAPHQL_PATH = "/graphql";

/** What the HTTP application is built from. */
export interface HttpAppDependencies {
  readonly schema: GraphQLSchema;
  readonly reader: MarketDataReader;
  /** The live event streams behind subscriptions (for the request context). */
  readonly live: LiveSubscriptions;
  readonly logger: Logger;
  /** Authenticates the `Authorization: Bearer <API key>` header of each GraphQL request. */
  readonly apiKeys: ApiKeyService;
  /** Training exports (GET /export). */
  readonly exports: TrainingExportService;
  /** Point-in-time joins (POST /export/join). */
  readonly joins: PointInTimeJoinService;
  /** Serve queries without an API key (config CANDELA_ALLOW_ANONYMOUS_READS); mutations always need one. */
  readonly allowAnonymousReads: boolean;
  /** Dependencies' state, for /readyz. */
  readonly health: HealthProbe;
  /** Prometheus registry served at /metrics; request counters and latencies are added to it. */
  readonly metrics: Registry;
  /** Limits every operation must keep before it runs (graphql/query-limits.ts); undefined: none (benchmarks). */
  readonly queryLimits: QueryLimits | undefined;
  /** Request budgets per API key and per address; undefined: none (tests and benchmarks). */
  readonly rateLimits?: RequestRateLimits;
  /** Bearer token /metrics asks for (CANDELA_METRICS_TOKEN); without one, /metrics is open only with anonymous reads. */
  readonly metricsToken?: string;
}

/** The HTTP request listener (pass it to `http.createServer`) and the Apollo server behind it (stop it on shutdown). */
export interface HttpApp {
  readonly listener: RequestListener;
  readonly apollo: ApolloServer<RequestContext>;
}

/** Whether a request's path is the GraphQL endpoint (with or without a query string or trailing slash). */
function isGraphQLPath(url: string | undefined): boolean {
  const path = url === undefined ? "" : url.split("?", 1)[0];
  return path === GRAPHQL_PATH || path === `${GRAPHQL_PATH}/`;
}

/**
 * Builds the HTTP application: GraphQL at /graphql (GraphiQL for browsers), training exports at /export and point-in-time joins
 * at /export/join (Arrow, CSV), the catalogue and chart page at /charts/,
 * /healthz (the process is up),
 * /readyz (PostgreSQL answers, every migration is applied, every breaker closed; 503 otherwise) and
 * /metrics (Prometheus). GraphQL requests go to Apollo straight from Node's HTTP server
 * (graphql-request-handler.ts); Express serves the rest (the other routes and GraphiQL). Every response carries
 * the security headers of security-headers.ts, and is compressed (gzip or brotli) when the client accepts it. Without anonymous reads (production mode) GraphiQL and introspection
 * need a `read` key and /metrics its token; GraphQL requests spend from the rate limits before they run.
 */
export async function createHttpApp(dependencies: HttpAppDependencies): Promise<HttpApp> {
  const { schema, reader, live, logger, apiKeys, allowAnonymousReads, health, metrics, queryLimits, rateLimits } = dependencies;
  const observer = requestObserver(logger, metrics);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // GraphiQL reads the schema by introspection; in production mode introspectionGate asks for a read key.
    introspection: true,
    // The serve command stops everything, Apollo included, on SIGINT/SIGTERM. Apollo's own handlers (on
    // whenever NODE_ENV is not "test") made a second, concurrent stop that never finished: Ctrl-C hung.
    stopOnTerminationSignals: false,
    // No cache hints are used; Apollo's cache-control plugin would otherwise wrap every field's resolver.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      observer.plugin,
      introspectionGate(),
      ...(queryLimits === undefined ? [] : [queryCostPlugin<RequestContext>(queryLimits.maxCost)]),
    ],
    validationRules: queryLimits === undefined ? [] : queryLimitRules(queryLimits),
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
  const metricsAllowed = metricsAccess(dependencies.metricsToken, allowAnonymousReads);
  app.get("/metrics", async (request, response) => {
    const refusal = metricsAllowed(header(request, "authorization"));
    if (refusal !== undefined) {
      response.status(refusal.status).json({ error: refusal.message });
      return;
    }
    response.type(metrics.contentType).send(await metrics.metrics());
  });
  const graphql = graphqlRequestHandler(apollo, async (request: IncomingMessage) => {
    // Set by assignRequestId before the request got here.
    const requestId = header(request, "x-request-id") ?? "unassigned";
    const address = request.socket.remoteAddress ?? "unknown";
    await rateLimits?.checkAddress(address);
    const authentication = await authenticateOrUnavailable(apiKeys, header(request, "authorization"));
    await rateLimits?.spend(address, authentication);
    return createRequestContext(requestId, reader, { authentication, allowAnonymousReads }, live);
  }, (request, code) => observer.refusedBeforeApollo(code, header(request, "x-request-id")));
  const exportDependencies = {
    exports: dependencies.exports,
    joins: dependencies.joins,
    apiKeys,
    allowAnonymousReads,
    logger,
    spend: async (request: express.Request, authentication: Authentication) => {
      const address = request.socket.remoteAddress ?? "unknown";
      await rateLimits?.checkAddress(address);
      await rateLimits?.spend(address, authentication);
    },
  };
  app.get(EXPORT_PATH, exportRoute(exportDependencies));
  serveChartsPage(app);
  app.post(JOIN_PATH, joinRoute(exportDependencies));
  // GraphiQL's script and style: no data, named by their content's hash, so cacheable for good.
  app.get(`${GRAPHIQL_ASSETS_PATH}/:file`, (request, response) => {
    const asset = graphiqlAsset(GRAPHQL_PATH, request.params.file);
    if (asset === undefined) {
      response.status(404).json({ error: { code: "NOT_FOUND", message: "No such file." } });
      return;
    }
    response.setHeader("cache-control", "public, max-age=31536000, immutable");
    response.type(asset.contentType).send(asset.body);
  });
  app.get(GRAPHQL_PATH, async (request, response) => {
    // Browsers ask for HTML and get GraphiQL; GraphQL GET requests go to Apollo.
    if (request.accepts(["application/json", "application/graphql-response+json", "text/html"]) !== "text/html") {
      graphql(request, response);
      return;
    }
    // The page is 9 MB: in production mode only callers with a read key get it (a key in the Authorization header,
    // e.g. set by a proxy or a browser extension).
    if (!allowAnonymousReads && !(await holdsReadKey(apiKeys, header(request, "authorization")))) {
      response.status(401).json({
        error: "GraphiQL needs an API key with the read scope in production mode: send `Authorization: Bearer <API key>`, or explore a local Candela (npm start) instead.",
      });
      return;
    }
    response.type("html").send(graphiqlPage(GRAPHQL_PATH));
  });
  const secure = securityHeaders();
  // gzip or brotli, as the client accepts, for responses over 1 kB (a year of bars, the 9 MB GraphiQL page).
  const compress = compression({ brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } } });
  const listener: RequestListener = (request, response) => {
    secure(request, response, () => {
      assignRequestId(request, response);
      compress(request as express.Request, response as express.Response, () => {
        if (request.method !== "GET" && isGraphQLPath(request.url)) graphql(request, response);
        else app(request, response);
      });
    });
  };
  return { listener, apollo };
}

/** Seconds a client is told to wait when its key cannot be checked. */
const KEY_CHECK_RETRY_AFTER_SECONDS = 5;

/**
 * Authenticates the request; a key that cannot be checked (PostgreSQL unreachable and the key not remembered) is
 * answered UNAVAILABLE with HTTP 503 and Retry-After, in our words only.
 */
async function authenticateOrUnavailable(apiKeys: ApiKeyService, authorization: string | undefined): Promise<Authentication> {
  try {
    return await apiKeys.authenticate(authorization);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.UNAVAILABLE) throw error;
    const refusal = new DomainError(ErrorCode.UNAVAILABLE, `The API key cannot be checked now: the database is unreachable. Retry in ${KEY_CHECK_RETRY_AFTER_SECONDS} s.`);
    throw withHttpStatus(refusal, 503, [["retry-after", String(KEY_CHECK_RETRY_AFTER_SECONDS)]]);
  }
}

/** Whether `authorization` carries a valid API key with the read scope. */
async function holdsReadKey(apiKeys: ApiKeyService, authorization: string | undefined): Promise<boolean> {
  // A key that cannot be checked now (database unreachable) does not open the page.
  const authentication = await apiKeys.authenticate(authorization).catch(() => undefined);
  return authentication?.kind === "key" && scopesGrant(authentication.key.scopes, Scope.READ);
}

/** One request header's value (the first, when repeated); undefined when absent. */
function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
