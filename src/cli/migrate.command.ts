import { Command } from "commander";
import { loadConfig } from "../server/config";
import { openDatabase } from "../server/database-runtime";
import { createLogger } from "../server/logger";

/** `candela migrate`: creates the configured database if needed and applies pending migrations. */
export function migrateCommand(): Command {
  return new Command("migrate").description("create the configured database if needed and apply pending migrations").action(async () => {
    const config = loadConfig();
    const runtime = await openDatabase(config, createLogger(config.LOG_LEVEL));
    await runtime.close();
  });
}
