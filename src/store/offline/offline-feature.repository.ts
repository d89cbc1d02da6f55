import type { Pool, PoolClient } from "pg";
import { cancelOnAbort, releaseAfter } from "../postgres/cancellation";
import { checkOutClient } from "../postgres/client-checkout";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";
import type { OfflineFeatureStore, OfflineSeriesSession, StoredFeatureValues } from "../../features/ports/offline-feature-store";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { appendChunks, materializedThrough, readChunks } from "./feature-value-chunks";
import { lockSymbolSeries } from "../postgres/series-lock";

/**
 * PostgreSQL adapter of the offline store (tables and layout: feature-value-chunks.ts). Writes requested during `withSeriesLock` run after `work` has returned its
 * result, in the same transaction and still holding the lock, so a caller gets computed values without
 * waiting for them to be stored; the next request for the symbol waits on the lock and then sees them.
 */
export class OfflineFeatureRepository implements OfflineFeatureStore {
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * @param onWriteFailure told when deferred writes fail (the values are then simply computed again later)
   * @param onValuesWritten told how many feature values each committed session materialized (for metrics)
   */
  constructor(
    private readonly pool: Pool,
    private readonly onWriteFailure: (error: unknown) => void = () => undefined,
    private readonly onValuesWritten: (count: number) => void = () => undefined,
  ) {}

  async withSeriesLock<T>(symbol: string, timeframe: Timeframe, work: (session: OfflineSeriesSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const client = await checkOutClient(this.pool);
    const stopListening = cancelOnAbort(this.pool, client, signal);
    let session: SeriesSession;
    let result: T;
    try {
      await client.query("BEGIN");
      await lockSymbolSeries(client, symbol);
      session = new SeriesSession(client, symbol, timeframeLabel(timeframe));
      result = await work(session);
      signal?.throwIfAborted();
    } catch (error) {
      stopListening();
      await client.query("ROLLBACK").catch(() => undefined);
      releaseAfter(client, signal);
      signal?.throwIfAborted();
      throw error;
    }
    stopListening();
    const written = session.valuesWritten;
    const finishing = finish(client, session.deferredWrites).then(() => {
      if (written > 0) this.onValuesWritten(written);
    }, this.onWriteFailure);
    this.inFlight.add(finishing);
    void finishing.finally(() => this.inFlight.delete(finishing));
    return result;
  }

  /** Resolves when every deferred write has been committed or rolled back (call before closing the pool). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}

async function finish(client: PoolClient, writes: readonly (() => Promise<void>)[]): Promise<void> {
  try {
    for (const write of writes) await write();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

class SeriesSession implements OfflineSeriesSession {
  readonly deferredWrites: (() => Promise<void>)[] = [];
  /** Feature values the deferred writes store. */
  valuesWritten = 0;

  constructor(
    private readonly client: PoolClient,
    private readonly symbol: string,
    private readonly timeframe: string,
  ) {}

  materializedThrough(featureIds: readonly number[]): Promise<Map<number, number>> {
    return materializedThrough(this.client, this.symbol, this.timeframe, featureIds);
  }

  readValues(featureId: number, range: OpenTimeRange): Promise<StoredFeatureValues> {
    return readChunks(this.client, { featureId, symbol: this.symbol, timeframe: this.timeframe }, range);
  }

  writeValues(featureId: number, openTimes: Float64Array, values: Float64Array, throughOpenTime: number): Promise<void> {
    // Copies: the caller may reuse its buffers once it has its result.
    const times = Float64Array.from(openTimes);
    const stored = Float64Array.from(values);
    const series = { featureId, symbol: this.symbol, timeframe: this.timeframe };
    this.valuesWritten += stored.length;
    this.deferredWrites.push(() => appendChunks(this.client, series, times, stored, throughOpenTime));
    return Promise.resolve();
  }
}
