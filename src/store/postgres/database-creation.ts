import { Pool } from "pg";

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
