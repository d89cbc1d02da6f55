import { loadConfig } from "../server/config";
import { openDatabase } from "../server/database-runtime";
import { createLogger } from "../server/logger";

/** `npm run migrate`: creates the configured database if needed and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openDatabase(config, createLogger(config.LOG_LEVEL));
  await runtime.close();
}

main().catch((error: unknown) => {
  console.error(`candela migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
