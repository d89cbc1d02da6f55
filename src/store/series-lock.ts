import type { PoolClient } from "pg";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";

/**
 * Takes the transaction-scoped advisory lock of one series (symbol, timeframe). Bar imports and feature
 * materialization both take it, so feature values are never computed from bars that are being replaced.
 * Must run inside a transaction; released at COMMIT or ROLLBACK.
 */
export async function lockSeries(client: PoolClient, symbol: string, timeframe: Timeframe): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`series/${symbol}/${timeframeLabel(timeframe)}`]);
}
