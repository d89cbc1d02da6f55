import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "pg";
import { connectDatabase, type Database, type DatabaseOptions } from "../store/postgres/database";
import { ensureDatabaseExists } from "../store/postgres/database-creation";
import { embeddedDatabaseUrl, startEmbeddedDatabase } from "../store/postgres/embedded-database";
import { applyMigrations } from "../store/postgres/migrations";
import type { Config } from "./config";
import type { Logger } from "./logger";

/** The configured database, migrated and connected, and how to let go of it. */
export interface DatabaseRuntime {
  readonly database: Database;
  /** Closes the pool, and stops the embedded PostgreSQL if this runtime started it. */
  close(): Promise<void>;
}

/**
 * Opens the database Candela is configured for: DATABASE_URL, or else the embedded PostgreSQL in
 * CANDELA_DATA_DIR (reused when another Candela process, e.g. a running server, already started it).
 * Creates the database when missing and applies pending migrations. While PostgreSQL is unreachable (see
 * isConnectionFailure: a server still starting, as in `docker compose up`), all of this is retried with
 * exponential backoff and jitter, each retry logged with its delay, for up to
 * CANDELA_DATABASE_START_TIMEOUT_SECONDS.
 * @param options of the connections (the server bounds its statements; the CLI's imports and migrations do not)
 * @throws Error naming the database (without its password) when PostgreSQL stays unreachable that long, or at
 * once for any other failure: authentication, a failed migration, an embedded server that cannot start
 */
export async function openDatabase(config: Config, logger: Logger, options: DatabaseOptions = {}): Promise<DatabaseRuntime> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (url === undefined) {
    const folder = path.join(config.CANDELA_DATA_DIR, "postgres");
    url = embeddedDatabaseUrl(folder, config.CANDELA_EMBEDDED_PG_PORT);
    if (url === undefined || !(await connectOnce(url).then(() => true, () => false))) {
      const embedded = await startEmbeddedDatabase(folder, config.CANDELA_EMBEDDED_PG_PORT, (line) =>
        logger.debug({ component: "embedded-postgres" }, line.trim()),
      );
      url = embedded.url;
      stopEmbedded = embedded.stop;
      logger.info({ dataDirectory: config.CANDELA_DATA_DIR, port: config.CANDELA_EMBEDDED_PG_PORT }, "embedded PostgreSQL started");
    }
  }
  const target = url;
  const timeoutSeconds = config.CANDELA_DATABASE_START_TIMEOUT_SECONDS;
  try {
    const { database, applied } = await retryConnectionFailures(
      () => connectAndMigrate(target, options),
      { ...START_RETRY_DELAYS, timeoutMs: timeoutSeconds * 1_000 },
      ({ error, attempt, delayMs }) =>
        logger.warn(
          { database: withoutPassword(target), attempt, delayMs, reason: describeError(error) },
          `PostgreSQL is not accepting connections yet; retrying in ${delayMs} ms`,
        ),
    );
    logger.info({ applied }, applied.length > 0 ? "migrations applied" : "migrations up to date");
    return {
      database,
      async close() {
        await database.close();
        await stopEmbedded?.();
      },
    };
  } catch (error) {
    await stopEmbedded?.();
    const reason = describeError(error);
    throw new Error(
      isConnectionFailure(error)
        ? `PostgreSQL at ${withoutPassword(target)} did not accept connections within ${timeoutSeconds} s ` +
            `(CANDELA_DATABASE_START_TIMEOUT_SECONDS): ${reason}`
        : `Cannot open the database at ${withoutPassword(target)}: ${reason}`,
      { cause: error },
    );
  }
}

/** Delays between start attempts: the first about 250 ms, doubling up to about 5 s. */
const START_RETRY_DELAYS = { firstDelayMs: 250, maxDelayMs: 5_000 } as const;

// One connection attempt gives up after this long, so that a host that drops packets cannot hold a start
// past its CANDELA_DATABASE_START_TIMEOUT_SECONDS for the kernel's two minutes.
const CONNECT_TIMEOUT_MS = 5_000;

/** How retryConnectionFailures spaces its attempts. */
export interface RetryPolicy {
  /** Give up once this much time has passed since the first attempt (0: a single attempt). */
  readonly timeoutMs: number;
  /** Upper bound of the delay after the first failure; it doubles after each further one. */
  readonly firstDelayMs: number;
  /** The bound stops doubling here. */
  readonly maxDelayMs: number;
}

/** A failed attempt that will be retried: its error, its number (1 for the first) and the delay before the next. */
export interface RetryNotice {
  readonly error: unknown;
  readonly attempt: number;
  readonly delayMs: number;
}

/**
 * Runs `attempt` until it resolves, retrying it after a connection failure (isConnectionFailure) with exponential
 * backoff and "equal jitter": the n-th delay is drawn uniformly from [bound/2, bound], bound =
 * min(maxDelayMs, firstDelayMs * 2^(n-1)), so several servers started together spread their attempts while the
 * delays still grow. No delay ends past the deadline.
 * @param onRetry told of each failure that will be retried, before the delay
 * @returns what `attempt` resolved to
 * @throws the attempt's error at once when it is not a connection failure, or the last one at the deadline
 */
export async function retryConnectionFailures<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  onRetry: (notice: RetryNotice) => void,
): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (error) {
      const bound = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
      const delayMs = Math.min(Math.round(bound / 2 + (Math.random() * bound) / 2), deadline - Date.now());
      if (!isConnectionFailure(error) || delayMs <= 0) throw error;
      onRetry({ error, attempt: attempts, delayMs });
      await sleep(delayMs);
    }
  }
}

// Socket and DNS errors of a server, or a host name, that is not up yet. In Docker Compose a service's name
// resolves only once its container runs, hence ENOTFOUND and EAI_AGAIN (a misspelt host is retried too, until
// the deadline, and then reported with its name).
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
// PostgreSQL's own: 57P03 cannot_connect_now ("the database system is starting up", "... is shutting down",
// "... is in recovery mode"), 57P01 admin_shutdown (the server stopped under an open connection: a restart).
const NOT_READY_SQLSTATES = new Set(["57P03", "57P01"]);
// pg reports without a code that the server closed the socket during the handshake, and also that
// CONNECT_TIMEOUT_MS passed (it then destroys the socket itself).
const CONNECTION_LOST_MESSAGE = "Connection terminated unexpectedly";

/**
 * Whether `error` means that PostgreSQL cannot be reached or is not ready yet, so that trying again later may
 * succeed; anything else (authentication, a missing role, SQL errors of a migration) is not.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Node reports a host name with several addresses (localhost: ::1 and 127.0.0.1) as one AggregateError.
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(isConnectionFailure);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return UNREACHABLE_CODES.has(code) || NOT_READY_SQLSTATES.has(code);
  return error.message === CONNECTION_LOST_MESSAGE;
}

async function connectAndMigrate(url: string, options: DatabaseOptions): Promise<{ database: Database; applied: string[] }> {
  await connectOnce(url);
  await ensureDatabaseExists(url);
  const database = connectDatabase(url, options);
  try {
    return { database, applied: await applyMigrations(database.pool) };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Opens one connection to the server's `postgres` database and closes it; rejects with pg's error. */
async function connectOnce(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL for messages and logs: its password replaced by "***". */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}

/** An error's message with its code (SQLSTATE or Node's), e.g. `password authentication failed for user "x" (28P01)`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error instanceof AggregateError && error.message === "" ? error.errors.map(describeError).join("; ") : error.message;
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}
