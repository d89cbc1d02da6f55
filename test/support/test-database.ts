import { Pool } from "pg";

/**
 * URL of the test database: the server of DATABASE_URL (default postgresql://postgres@127.0.0.1:5432)
 * with the database `candela_test` (or TEST_DATABASE_NAME, so that two checkouts can run their tests at
 * once on one server), so tests never touch a real store.
 */
export function testDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${process.env.TEST_DATABASE_NAME ?? "candela_test"}`;
  return url.toString();
}

/** Deletes every instrument, bar, feature (and deprecation), backfill job and confirmed gap (tests run in band, each starts from an empty store). */
export async function emptyStore(pool: Pool): Promise<void> {
  await pool.query("TRUNCATE bar, instrument, feature_value_chunk, feature_materialization, feature_definition, feature_deprecation, feature_stream_checkpoint, backfill_job, confirmed_gap");
}
