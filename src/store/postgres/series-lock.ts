import type { PoolClient } from "pg";

/**
 * Takes the transaction-scoped advisory lock of every series of `symbol`. Bar imports and feature
 * materialization both take it, so feature values are never computed from bars that are being replaced;
 * it covers all timeframes because series aggregated from 1m bars change when 1m bars do.
 * Must run inside a transaction; released at COMMIT or ROLLBACK.
 */
export async function lockSymbolSeries(client: PoolClient, symbol: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`series/${symbol}`]);
}
