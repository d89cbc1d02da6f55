import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "pg";
import { checkOutClient } from "./client-checkout";
import { PROJECT_ROOT } from "../../platform/project-root";

/** Where the Prisma migrations live, relative to the project root. */
export const MIGRATIONS_DIRECTORY = path.join(PROJECT_ROOT, "prisma", "migrations");

// Arbitrary constant: the key of the session advisory lock that serializes migration runs.
const MIGRATION_LOCK_KEY = 7_206_152_031;

/** One migration folder of prisma/migrations with its SQL and checksum. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
  /** sha256 of migration.sql in hex, as Prisma records it. */
  readonly checksum: string;
}

/** Reads the migration folders in name order (Prisma names start with a timestamp). */
export async function loadMigrations(directory = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies the migrations in prisma/migrations that the database has not recorded yet, each in its own
 * transaction, and records them in Prisma's `_prisma_migrations` table so `prisma migrate status` agrees.
 * We apply the SQL ourselves because `prisma migrate deploy` through the driver adapter fails on
 * PostgreSQL's `name` type (prisma/orm#27403) and the schema engine cannot be downloaded here.
 *
 * Safe to run twice (applied migrations are skipped) and from several processes at once (a session
 * advisory lock serializes them).
 * @returns the names of the migrations applied by this call
 * @throws Error when an applied migration's file was edited afterwards (checksum mismatch)
 */
export async function applyMigrations(pool: Pool, directory = MIGRATIONS_DIRECTORY): Promise<string[]> {
  const migrations = await loadMigrations(directory);
  const client = await checkOutClient(pool);
  try {
    // Migrations may rebuild large tables: the pool's statement timeout (if any) is for requests, not for them.
    await client.query("SET statement_timeout = 0");
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const recorded = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const checksums = new Map(recorded.rows.map((row) => [row.migration_name, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const known = checksums.get(migration.name);
      if (known !== undefined) {
        if (known !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was modified after it was applied; add a new migration instead.`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    // Back to the connection's own timeout before the pool hands it to a request; a connection that cannot be reset is closed.
    client.release(await client.query("RESET statement_timeout").then(() => undefined, (error: Error) => error));
  }
}

/** Names of migrations in prisma/migrations that the database has not applied. */
export async function pendingMigrations(pool: Pool, directory = MIGRATIONS_DIRECTORY): Promise<string[]> {
  const migrations = await loadMigrations(directory);
  const exists = await pool.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!exists.rows[0].present) return migrations.map((migration) => migration.name);
  const recorded = await pool.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(recorded.rows.map((row) => row.migration_name));
  return migrations.map((migration) => migration.name).filter((name) => !done.has(name));
}
