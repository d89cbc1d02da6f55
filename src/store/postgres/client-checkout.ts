import type { Pool, PoolClient } from "pg";

const guardedClients = new WeakSet<PoolClient>();

/**
 * Checks a client out of `pool` for a transaction. A checked-out client whose connection drops between two
 * queries emits 'error'; unheard, that would crash the process, so it is heard here (the next query on the
 * client fails with the same cause, which the caller handles).
 */
export async function checkOutClient(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  if (!guardedClients.has(client)) {
    client.on("error", () => undefined);
    guardedClients.add(client);
  }
  return client;
}
