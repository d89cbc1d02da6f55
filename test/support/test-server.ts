import "reflect-metadata";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildCandelaSchema } from "../../src/graphql/schema";
import { createHttpApp } from "../../src/server/http-app";
import { createLogger } from "../../src/server/logger";
import { connectDatabase, type Database } from "../../src/store/database";
import { createStoreAdapters } from "../../src/store/adapters";
import { testDatabaseUrl } from "./test-database";

/** The HTTP app over the test database, listening on an ephemeral loopback port. */
export interface TestServer {
  readonly url: string;
  readonly database: Database;
  close(): Promise<void>;
}

/** Starts the real HTTP application (Express + Apollo + the PostgreSQL adapter) for one test file. */
export async function startTestServer(): Promise<TestServer> {
  const database = connectDatabase(testDatabaseUrl());
  const adapters = createStoreAdapters(database);
  const { app, apollo } = await createHttpApp({
    schema: await buildCandelaSchema(adapters),
    reader: adapters.reader,
    pool: database.pool,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
      await database.close();
    },
  };
}
