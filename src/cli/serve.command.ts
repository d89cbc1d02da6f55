import { Command } from "commander";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { startServer } from "../server/server";
import { leaveShutdownSignalsToCaller } from "../store/postgres/embedded-database";

/**
 * `candela serve`: runs the server (configured by the environment, see README "Configuration") until SIGINT or
 * SIGTERM, then shuts everything down cleanly. Resolves once it has stopped; rejects when it cannot start.
 */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run the server: GraphQL over HTTP and WebSocket, GraphiQL, health and metrics (configured by the environment)")
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.LOG_LEVEL);
      const server = await startServer(config, logger);
      // This command shuts down gracefully on SIGINT and SIGTERM, embedded PostgreSQL included.
      leaveShutdownSignalsToCaller();
      const signal = await new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      logger.info({ signal }, "shutting down");
      await server.stop();
    });
}
