import { Pool } from "pg";
import { ensureDatabaseExists } from "../src/store/postgres/database-creation";
import { applyMigrations } from "../src/store/postgres/migrations";
import { testDatabaseUrl } from "./support/test-database";

/** Creates the test database when missing and applies the migrations once before all test files. */
export default async function globalSetup(): Promise<void> {
  const url = testDatabaseUrl();
  await ensureDatabaseExists(url);
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await applyMigrations(pool);
  } finally {
    await pool.end();
  }
}
