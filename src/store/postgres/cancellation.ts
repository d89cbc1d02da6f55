import { Client, type Pool, type PoolClient, type QueryArrayConfig, type QueryConfig } from "pg";
import { checkOutClient } from "./client-checkout";

/** How long the side connection that cancels a statement may take to connect, ms. */
const CANCEL_CONNECT_TIMEOUT_MS = 2_000;

/**
 * Cancels, when `signal` aborts, whatever statement `client` is running: `pg_cancel_backend` over a short-lived
 * connection of its own (the pool may be full of the very work being cancelled). The statement then fails
 * with PostgreSQL's 57014 (query_canceled) and the connection is idle again.
 * @returns a function that stops listening; call it once the client's work is over
 */
export function cancelOnAbort(pool: Pool, client: PoolClient, signal: AbortSignal | undefined): () => void {
  if (signal === undefined) return () => undefined;
  const cancel = () => {
    const canceller = new Client({ ...pool.options, connectionTimeoutMillis: CANCEL_CONNECT_TIMEOUT_MS });
    canceller.on("error", () => undefined);
    const backend = (client as unknown as { processID: number | null }).processID;
    void canceller
      .connect()
      .then(() => canceller.query("SELECT pg_cancel_backend($1)", [backend]))
      .catch(() => undefined)
      .finally(() => canceller.end().catch(() => undefined));
  };
  signal.addEventListener("abort", cancel, { once: true });
  return () => signal.removeEventListener("abort", cancel);
}

/**
 * Gives a client back to `pool` after work that `signal` may have aborted. An aborted client's connection is
 * closed rather than reused: a cancel request may still be on its way and would hit the next statement.
 */
export function releaseAfter(client: PoolClient, signal: AbortSignal | undefined): void {
  client.release(signal?.aborted === true ? new Error("work cancelled") : undefined);
}

/**
 * `pool.query(config)` that stops when `signal` aborts: the running statement is cancelled and the call
 * rejects with `signal.reason` (an AbortError, which no circuit breaker counts as the database's failure).
 * Without a signal it is `pool.query(config)`.
 * @throws signal.reason when aborted before or while running; the query's error otherwise
 */
export async function queryCancellably<Row>(pool: Pool, config: QueryConfig | QueryArrayConfig, signal: AbortSignal | undefined): Promise<{ readonly rows: Row[] }> {
  // Rows are objects, or arrays with rowMode "array": `Row` says which.
  const run = (queryable: Pool | PoolClient) => queryable.query(config as QueryConfig) as unknown as Promise<{ readonly rows: Row[] }>;
  if (signal === undefined) return run(pool);
  signal.throwIfAborted();
  const client = await checkOutClient(pool);
  const stopListening = cancelOnAbort(pool, client, signal);
  try {
    return await run(client);
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  } finally {
    stopListening();
    releaseAfter(client, signal);
  }
}
