import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// schema.prisma reads env("DATABASE_URL"); without a value `prisma generate` cannot read the schema and
// falls back to downloading an engine, which fails offline. Generating needs no database, so any URL will do.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/candela";
const databaseUrl = process.env.DATABASE_URL;

// Prisma 6.19 with the driver adapter runs without downloading a schema engine (no internet here).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaPg({ connectionString: databaseUrl });
  },
});
