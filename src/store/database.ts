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
