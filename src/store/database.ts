import { Pool } from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

/**
 * One PostgreSQL connection pool shared by Prisma (through the pg driver adapter) and by the few
 * raw SQL paths that need it (bulk import through a staging table, columnar range reads).
 */
export interface Database {
  readonly pool: Pool;
  readonly prisma: PrismaClient;
  /** Closes Prisma and the pool; safe to call once. */
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL at `url` (postgresql://user@host:port/db). Connections open lazily.
 * @param maxConnections pool size; the default suits one server process on a 2-core machine
 */
export function connectDatabase(url: string, maxConnections = 10): Database {
  const pool = new Pool({ connectionString: url, max: maxConnections });
  // An idle client that loses its server (restart, network) emits 'error'; the next query reconnects.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Creates the database named in `url` when it does not exist (connecting to the server's `postgres`
 * database to do so). Safe to run concurrently: a racing creation is treated as success.
 */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  if (name === "" || name === "postgres") return;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const pool = new Pool({ connectionString: admin.toString(), max: 1 });
  try {
    const found = await pool.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await pool.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
        if (error.code !== "42P04" && error.code !== "23505") throw error;
      });
    }
  } finally {
    await pool.end();
  }
}
