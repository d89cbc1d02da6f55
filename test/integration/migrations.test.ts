import { Pool } from "pg";
import { applyMigrations, loadMigrations, pendingMigrations } from "../../src/store/postgres/migrations";
import { testDatabaseUrl } from "../support/test-database";

describe("applyMigrations against the real PostgreSQL", () => {
  let pools: Pool[];

  beforeAll(() => {
    pools = [new Pool({ connectionString: testDatabaseUrl(), max: 2 }), new Pool({ connectionString: testDatabaseUrl(), max: 2 })];
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it("records every migration once in _prisma_migrations, with Prisma's checksum", async () => {
    const migrations = await loadMigrations();
    const recorded = await pools[0].query(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(recorded.rows).toEqual(migrations.map((migration) => ({ migration_name: migration.name, checksum: migration.checksum })));
    expect(await pendingMigrations(pools[0])).toEqual([]);
  });

  it("applies nothing and fails nothing when run again, from two processes at once", async () => {
    const results = await Promise.all([applyMigrations(pools[0]), applyMigrations(pools[1]), applyMigrations(pools[0])]);
    expect(results).toEqual([[], [], []]);
    const count = await pools[0].query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count.rows[0].n).toBe((await loadMigrations()).length);
  });

  it("applies a fresh database's migrations exactly once when two runners race", async () => {
    const admin = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
    await admin.query("DROP DATABASE IF EXISTS candela_migration_race");
    await admin.query("CREATE DATABASE candela_migration_race");
    const url = new URL(testDatabaseUrl());
    url.pathname = "/candela_migration_race";
    const racers = [new Pool({ connectionString: url.toString() }), new Pool({ connectionString: url.toString() })];
    try {
      const [first, second] = await Promise.all(racers.map((pool) => applyMigrations(pool)));
      const names = (await loadMigrations()).map((migration) => migration.name);
      expect([...first, ...second].sort()).toEqual(names);
      const tables = await racers[0].query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('bar', 'instrument')`);
      expect(tables.rows[0].n).toBe(2);
    } finally {
      await Promise.all(racers.map((pool) => pool.end()));
      await admin.query("DROP DATABASE IF EXISTS candela_migration_race");
      await admin.end();
    }
  });
});
