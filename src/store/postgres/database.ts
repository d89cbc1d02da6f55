import { Pool } from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

/**
 * PostgreSQL connections: one pool shared by Prisma (through the pg driver adapter) and the raw SQL paths
 * (bulk import through a staging table, columnar range reads), and a small separate pool for transactions
 * that hold a series lock while reading through the main pool. Kept apart so that requests waiting for a
 * series lock can never take every connection the lock holder needs to finish (a pool deadlock).
 */
export interface Database {
  /** The connection URL (for dedicated connections, such as the LISTEN of bar changes). */
  readonly url: string;
  readonly pool: Pool;
  /** Connections for lock-holding transactions (feature materialization). */
  readonly lockingPool: Pool;
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
  const lockingPool = new Pool({ connectionString: url, max: 4 });
  // An idle client that loses its server (restart, network) emits 'error'; the next query reconnects.
  pool.on("error", () => undefined);
  lockingPool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    pool,
    lockingPool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await lockingPool.end();
    },
  };
}
