import { timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import type { HistoryRequest, HistoryPage, LiveFeed, LiveFeedHandlers } from "../ingest/ports/market-data-provider";

/** How a polling feed paces itself. */
export interface PollingOptions {
  /** Wait after a bar's close before asking for it, ms: the provider needs a moment to publish it (default 2 s). */
  readonly settleMs?: number;
  /** Epoch ms. */
  readonly clock?: () => number;
}

/**
 * A live feed for providers without a bar stream (Twelve Data's REST API): shortly after each bar closes it asks the
 * provider's history for the bars after the newest one reported, and reports them as final. A failed poll is reported
 * and retried at the next bar. The first poll reports `onReconnected(undefined)` so the caller catches up first.
 */
export class PollingLiveFeed implements LiveFeed {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private newest: number | undefined;
  private polling: Promise<void> = Promise.resolve();
  private healthy = false;

  constructor(
    private readonly history: (request: HistoryRequest) => AsyncIterable<HistoryPage>,
    private readonly symbol: string,
    private readonly timeframe: Timeframe,
    private readonly handlers: LiveFeedHandlers,
    private readonly options: PollingOptions = {},
  ) {
    queueMicrotask(() => this.handlers.onReconnected?.(undefined));
    this.schedule();
  }

  get connected(): boolean {
    return this.healthy && !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  private schedule(): void {
    if (this.closed) return;
    const duration = timeframeDurationMs(this.timeframe);
    const now = (this.options.clock ?? Date.now)();
    const nextClose = Math.floor(now / duration) * duration + duration;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedule());
    }, nextClose - now + (this.options.settleMs ?? 2_000));
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const duration = timeframeDurationMs(this.timeframe);
    const now = (this.options.clock ?? Date.now)();
    const to = Math.floor(now / duration) * duration - duration;
    const from = this.newest === undefined ? to : this.newest + duration;
    if (from > to) return;
    try {
      for await (const page of this.history({ symbol: this.symbol, timeframe: this.timeframe, from, to })) {
        for (const bar of page.bars) {
          if (this.closed) return;
          this.newest = Math.max(this.newest ?? -Infinity, bar.openTime);
          this.handlers.onBar({ ...bar, closed: true });
        }
      }
      this.healthy = true;
    } catch (error) {
      this.healthy = false;
      this.handlers.onError?.(error);
    }
  }
}
