import { loadConfig, type Config } from "../server/config";
import { openDatabase } from "../server/database-runtime";
import { createLogger } from "../server/logger";
import { createCacheAdapters } from "../store/cache-adapters";
import type { Database } from "../store/postgres/database";

/**
 * Runs `work` over the configured database (DATABASE_URL, or the embedded PostgreSQL, migrated), closing it afterwards.
 * Logs only warnings (a command's output is its own).
 */
export async function withDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openDatabase(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL));
  try {
    return await work(runtime.database, config);
  } finally {
    await runtime.close();
  }
}

/**
 * Drops the cached query results of `symbol` in the shared Redis cache when `redisUrl` is set. Every running server
 * also drops its own (process) entries by itself: it hears of the committed change from PostgreSQL.
 */
export async function invalidateCachedQueries(redisUrl: string | undefined, symbol: string): Promise<void> {
  if (redisUrl === undefined) return;
  const caches = await createCacheAdapters({ redisUrl });
  try {
    await caches.queryCache.invalidateSeries(symbol);
  } finally {
    await caches.close();
  }
}
