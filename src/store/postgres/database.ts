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

/** How to connect. */
export interface DatabaseOptions {
  /** Pool size; the default (10) suits one server process on a 2-core machine. */
  readonly maxConnections?: number;
  /**
   * PostgreSQL's `statement_timeout` on every connection, ms: a statement running (or waiting for a lock) longer
   * is cancelled by the server (error 57014). On the locking pool it is also `idle_in_transaction_session_timeout`,
   * so a series lock is never held longer than that between two statements. Default: none (imports, migrations).
   */
  readonly statementTimeoutMs?: number;
}

/** Connects to PostgreSQL at `url` (postgresql://user@host:port/db). Connections open lazily. */
export function connectDatabase(url: string, options: DatabaseOptions = {}): Database {
  const timeout = options.statementTimeoutMs;
  const pool = new Pool({ connectionString: url, max: options.maxConnections ?? 10, statement_timeout: timeout });
  const lockingPool = new Pool({ connectionString: url, max: 4, statement_timeout: timeout, idle_in_transaction_session_timeout: timeout });
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
