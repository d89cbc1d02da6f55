import type { Bar } from "../../domain/bar";
import type { Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";
import type { LiveBar } from "../live-ingest.service";

/** A range of bars to fetch: open times (epoch ms, on the timeframe's grid), both ends inclusive. */
export interface HistoryRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from: number;
  readonly to: number;
}

/** One page of history: closed bars, oldest first, every open time within the request's range. */
export interface HistoryPage {
  readonly bars: readonly Bar[];
}

/** What a live feed reports besides bars. */
export interface LiveFeedHandlers {
  /** A bar from the stream: closed (final) or still forming. Called in the stream's order. */
  readonly onBar: (bar: LiveBar) => void;
  /**
   * The stream was (re)connected after a loss, `since` epoch ms being the open time of the newest closed bar
   * received before it (undefined on the first connection): the caller fetches what it missed over history.
   */
  readonly onReconnected?: (since: number | undefined) => void;
  /** The connection failed or dropped (it is retried with backoff); for logs and health. */
  readonly onError?: (error: unknown) => void;
}

/** A running live feed of one series. */
export interface LiveFeed {
  /** True while the stream is connected. */
  readonly connected: boolean;
  /** Closes the stream; no handler is called after it resolves. */
  close(): Promise<void>;
}

/**
 * A market-data provider (Binance spot, Twelve Data): history by range, in pages, and live bars. Adapters live in
 * src/providers; every call runs with a timeout, behind the provider's circuit breaker, and is retried with backoff
 * (all of them are idempotent reads).
 */
export interface MarketDataProvider {
  /** The name configuration and the API use, e.g. "binance". */
  readonly name: string;
  /**
   * The closed bars of `request`'s range, one page per iteration, oldest first. Bars that have not closed by the
   * provider's clock are left out.
   * @throws DomainError BAD_USER_INPUT (symbol or timeframe the provider does not know, named), UNAVAILABLE (the
   *   provider is unreachable, answers errors, or its breaker is open; `extensions.dependency` names it)
   */
  history(request: HistoryRequest, signal?: AbortSignal): AsyncIterable<HistoryPage>;
  /** Opens a live feed of the series' bars (closed and forming); reconnects by itself until closed. */
  live(symbol: string, timeframe: Timeframe, handlers: LiveFeedHandlers): LiveFeed;
  /** The trading calendar the provider's bars of `symbol` follow, when it knows it (FX and stocks). */
  calendarOf(symbol: string): TradingCalendar | undefined;
}
