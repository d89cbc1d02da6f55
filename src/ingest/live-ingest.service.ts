import type { Bar } from "../domain/bar";
import { validateBar } from "../domain/bar-validation";
import { badUserInput } from "../domain/errors";
import { seriesKey } from "../domain/series-key";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import { LiveTopic, type LiveEventBus } from "../features/ports/live-events";
import type { LiveBarStore } from "./ports/live-bar-store";

/** A bar as live sources send it: closed (final, stored) or still forming (never stored). */
export interface LiveBar extends Bar {
  /** True when the bar is final (its close time passed, or its source marks it final). */
  readonly closed: boolean;
}

/** What one ingest did. */
export interface IngestResult {
  /** Closed bars stored for the first time. */
  readonly inserted: number;
  /** Closed bars that replaced a stored bar with different values. */
  readonly corrected: number;
  /** Closed bars identical to stored ones: no-ops. */
  readonly duplicates: number;
  /** Closed bars older than the series' newest stored bar (stored; the series' values are recomputed from them). */
  readonly late: number;
  /** Forming bars published (the newest one sent; earlier ones of the same request are superseded). */
  readonly forming: number;
  /** The series' revision after the ingest. */
  readonly revision: number | null;
}

/** Counters the service reports to (metrics). */
export interface IngestObserver {
  readonly barsIngested?: (timeframe: Timeframe, count: number) => void;
  readonly barsRejected?: (count: number) => void;
}

/**
 * The one live ingest pipeline, behind both entrances (the `ingestBars` mutation and the Redis Stream consumer):
 * validates every bar exactly as the CSV import does (grid, finite positive prices, high/low consistency,
 * non-negative volume, no open time twice) and rejects the whole request on the first bad bar, so nothing of it
 * is written; stores closed bars through the LiveBarStore (one writer per series at a time, in open-time order;
 * duplicates are no-ops, late bars and corrections are stored and bump the series' revision); publishes the
 * stored bars (BARS_CLOSED) and the newest forming bar (BAR_FORMING) on the shared event bus. Feature values
 * follow from the committed change (the live materializer hears of it on every instance).
 */
export class LiveIngestService {
  /**
   * @param invalidateCachedQueries drops the cached query results of a symbol whose bars changed, in every tier
   *   (the query cache's `invalidateSeries`); awaited before the ingest returns
   */
  constructor(
    private readonly store: LiveBarStore,
    private readonly events: LiveEventBus,
    private readonly invalidateCachedQueries: (symbol: string) => Promise<unknown>,
    private readonly observer: IngestObserver = {},
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * @param bars closed and forming bars of the series, any order; open times epoch ms on the timeframe's grid
   * @throws DomainError BAD_USER_INPUT naming the first bad bar (its index and the rule broken): nothing is
   *   written then; UNAVAILABLE when the store cannot be reached
   */
  async ingest(symbol: string, timeframe: Timeframe, bars: readonly LiveBar[]): Promise<IngestResult> {
    this.validate(timeframe, bars);
    const closed = bars.filter((bar) => bar.closed).map(plainBar);
    const forming = bars.filter((bar) => !bar.closed).sort((a, b) => a.openTime - b.openTime).pop();
    const key = seriesKey(symbol, timeframe);
    let result: IngestResult = { inserted: 0, corrected: 0, duplicates: 0, late: 0, forming: 0, revision: null };
    if (closed.length > 0) {
      const write = await this.store.write(symbol, timeframe, closed);
      const newBars = write.changed.filter((bar) => write.previousNewestOpenTime === null || bar.openTime > write.previousNewestOpenTime);
      const late = write.changed.length - newBars.length - write.corrections;
      result = { ...result, inserted: newBars.length, corrected: write.corrections, duplicates: write.duplicates, late, revision: write.revision };
      this.observer.barsIngested?.(timeframe, write.changed.length);
      if (write.changed.length > 0) {
        await this.invalidateCachedQueries(symbol);
        this.events.publish(LiveTopic.BARS_CLOSED, key, {
          symbol,
          timeframe,
          bars: write.changed,
          previousNewestOpenTime: write.previousNewestOpenTime,
          rewrittenFrom: write.rewrittenFrom,
          revision: write.revision,
        });
      }
    }
    if (forming !== undefined && (closed.length === 0 || forming.openTime > Math.max(...closed.map((bar) => bar.openTime)))) {
      this.events.publish(LiveTopic.BAR_FORMING, key, { symbol, timeframe, bar: plainBar(forming) });
      result = { ...result, forming: 1 };
    }
    return result;
  }

  /** Rejects the request on its first bad bar (index and rule), before anything is written. */
  private validate(timeframe: Timeframe, bars: readonly LiveBar[]): void {
    const now = this.clock();
    const seen = new Map<number, number>();
    bars.forEach((bar, index) => {
      const problem =
        validateBar(bar, timeframe) ??
        (bar.openTime > now ? `open time ${new Date(bar.openTime).toISOString()} is in the future` : null) ??
        (seen.has(bar.openTime) ? `open time ${new Date(bar.openTime).toISOString()} is given twice (also bar ${seen.get(bar.openTime)})` : null);
      seen.set(bar.openTime, index);
      if (problem !== null) {
        this.observer.barsRejected?.(bars.length);
        throw badUserInput(`Bar ${index} of ${bars.length} (${timeframeLabel(timeframe)}) is invalid: ${problem}. Nothing was written.`, { bar: index });
      }
    });
  }
}

/** The OHLCV fields of a live bar, without its `closed` flag. */
function plainBar(bar: LiveBar): Bar {
  return { openTime: bar.openTime, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
}
