import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { ApiKeyService } from "../access/api-key.service";
import type { Authentication } from "../access/authorization";
import { createRequestContext } from "../graphql/context";
import { formatError } from "../graphql/errors";
import type { LiveSubscriptions } from "../graphql/live-subscriptions.service";
import { costLimitExceeded, queryCost } from "../graphql/query-cost";
import { queryLimitRules, type QueryLimits } from "../graphql/query-limits";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { Logger } from "./logger";

/** Largest message a client may send over the socket, bytes. */
const MAX_MESSAGE_BYTES = 1 << 20;

/** What the GraphQL WebSocket endpoint is built from. */
export interface GraphQLWebSocketDependencies {
  readonly schema: GraphQLSchema;
  readonly reader: MarketDataReader;
  readonly live: LiveSubscriptions;
  readonly apiKeys: ApiKeyService;
  readonly allowAnonymousReads: boolean;
  readonly logger: Logger;
  /** The path WebSocket upgrades are accepted on, e.g. "/graphql". */
  readonly path: string;
  /** The same query limits as over HTTP; undefined turns them off. */
  readonly queryLimits: QueryLimits | undefined;
}

/** Per-connection state: who the connection parameters authenticated. */
type ConnectionExtra = {
  authentication?: Authentication;
};

/**
 * Serves GraphQL subscriptions (and queries and mutations) over WebSockets on the HTTP server's port, with the
 * graphql-ws protocol (`graphql-transport-ws`), at `path`. Authentication: the `connection_init` payload's
 * `authorization` ("Bearer <API key>", the same keys and scopes as HTTP); an unusable key closes the socket with
 * code 4401 (Unauthorized) and the reason; each subscription then needs its scope like an HTTP request (errors
 * UNAUTHENTICATED, FORBIDDEN), and the query limits of HTTP requests apply before it runs (QUERY_TOO_COMPLEX).
 * Errors are formatted as over HTTP (codes, no stack traces).
 * @returns a function that closes every socket and stops accepting upgrades
 */
export function attachGraphQLWebSocket(server: Server, dependencies: GraphQLWebSocketDependencies): () => Promise<void> {
  const { schema, reader, live, apiKeys, allowAnonymousReads, logger, path, queryLimits } = dependencies;
  const limitRules = queryLimits === undefined ? [] : queryLimitRules(queryLimits);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? "").split("?", 1)[0].replace(/\/$/, "") !== path) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => sockets.emit("connection", websocket, request));
  };
  server.on("upgrade", onUpgrade);
  const logUnexpected = (error: unknown) => logger.error({ err: error }, "unexpected error in a GraphQL subscription");
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error, logUnexpected));
  const graphqlServer = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema,
      onConnect: async (context) => {
        const authorization = context.connectionParams?.authorization ?? context.connectionParams?.Authorization;
        const authentication = await apiKeys.authenticate(typeof authorization === "string" ? authorization : undefined);
        if (authentication.kind === "rejected") {
          context.extra.socket.close(CloseCode.Unauthorized, `Unauthorized: ${authentication.reason}`.slice(0, 120));
          return false;
        }
        context.extra.authentication = authentication;
        return true;
      },
      // The limits of HTTP requests, before anything runs: depth, aliases, tokens, directives, then the cost.
      onSubscribe: (_context, _id, payload) => {
        if (queryLimits === undefined) return undefined;
        // Errors returned here reach the client through onError, formatted like the others.
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document, [...specifiedRules, ...limitRules]);
        if (errors.length > 0) return errors;
        const cost = queryCost(schema, document, payload.variables ?? undefined, payload.operationName ?? undefined);
        if (cost !== undefined && cost > queryLimits.maxCost) {
          return [costLimitExceeded(cost, queryLimits.maxCost)];
        }
        return undefined;
      },
      context: (context) =>
        createRequestContext(randomUUID(), reader, { authentication: context.extra.authentication ?? { kind: "anonymous" }, allowAnonymousReads }, live),
      onNext: (_context, _id, _payload, _args, result: ExecutionResult) => ({ ...result, errors: result.errors === undefined ? undefined : format(result.errors) }),
      onError: (_context, _id, _payload, errors) => format(errors),
    },
    sockets,
  );
  return async () => {
    server.off("upgrade", onUpgrade);
    await graphqlServer.dispose();
    sockets.close();
  };
}
