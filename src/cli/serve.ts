import "./production-mode";
import "reflect-metadata";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { startServer } from "../server/server";

/** `npm start`: runs the server until SIGINT/SIGTERM, then shuts everything down cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`candela: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
