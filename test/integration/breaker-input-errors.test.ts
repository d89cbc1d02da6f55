import type { Pool } from "pg";
import { DomainError } from "../../src/domain/errors";
import { createStoreAdapters, type StoreAdapters } from "../../src/store/store-adapters";
import { connectDatabase, type Database } from "../../src/store/postgres/database";
import { guardDatabase } from "../../src/store/postgres/database-guard";
import { testDatabaseUrl } from "../support/test-database";

/** Statements PostgreSQL refuses because of what they were given, each with its SQLSTATE class. */
const REFUSED_FOR_INPUT: readonly [string, string][] = [
  ["22021", "SELECT convert_from('\\xff'::bytea, 'UTF8')"],
  ["22P02", "SELECT 'not a number'::integer"],
  ["22003", "SELECT 2147483647::integer + 1"],
  ["22012", "SELECT 1 / 0"],
  ["23502", "INSERT INTO instrument (symbol) VALUES (NULL)"],
  ["42703", "SELECT no_such_column FROM bar LIMIT 1"],
  ["42P01", "SELECT * FROM no_such_table"],
];

/**
 * The PostgreSQL circuit breaker counts only outages: statements refused for their input, hundreds of them, leave it
 * closed and reach the caller as they are (a bug or the request's problem), never as UNAVAILABLE for everyone.
 */
describe("the PostgreSQL breaker and statements refused for their input", () => {
  let database: Database;
  let stores: StoreAdapters;

  beforeAll(() => {
    database = connectDatabase(testDatabaseUrl());
    stores = createStoreAdapters(database);
  });

  afterAll(async () => {
    await stores.close();
    await database.close();
  });

  it("stays closed after 210 refused statements and still serves", async () => {
    const adapter = guardDatabase({ run: (pool: Pool, sql: string) => pool.query(sql) }, stores.databaseBreaker);
    for (let round = 0; round < 30; round++) {
      for (const [, sql] of REFUSED_FOR_INPUT) {
        const error = await adapter.run(database.pool, sql).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeDefined();
        expect(error instanceof DomainError && error.code === "UNAVAILABLE").toBe(false);
      }
    }
    expect(stores.databaseBreaker.state).toBe("closed");
    expect((await adapter.run(database.pool, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });
});
