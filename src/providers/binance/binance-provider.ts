import { badUserInput, type DomainError } from "../../domain/errors";
import { quoteInput } from "../../domain/errors";
import { timeframeDurationMs, type Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";
import type { HistoryPage, HistoryRequest, LiveFeed, LiveFeedHandlers, MarketDataProvider } from "../../ingest/ports/market-data-provider";
import { firstIssue, malformedAnswer, ProviderHttpClient, type ProviderHttpOptions } from "../provider-http";
import { barOfRestKline, binanceInterval, restKlines } from "./binance-klines";
import { BinanceKlineStream, type KlineStreamOptions } from "./binance-kline-stream";

/** Klines per REST page: Binance's maximum. */
export const BINANCE_PAGE_SIZE = 1_000;

/** Binance spot's request weight budget per minute (its exchangeInfo's REQUEST_WEIGHT limit). */
export const BINANCE_WEIGHT_PER_MINUTE = 6_000;

/** Configuration of the Binance spot adapter. */
export interface BinanceOptions extends Omit<ProviderHttpOptions, "provider" | "statusInBody" | "secretParameters"> {
  /** WebSocket base URL of the market streams, e.g. "wss://stream.binance.com:9443". */
  readonly streamUrl: string;
  /** Used weight (x-mbx-used-weight-1m) at which the adapter waits for the next minute (default 80% of 6,000). */
  readonly weightPauseAt?: number;
  /** Epoch ms (tests pass a fixed clock). */
  readonly clock?: () => number;
  /** Reported when the used weight makes the adapter wait, with the wait in ms. */
  readonly onWeightPause?: (usedWeight: number, waitMs: number) => void;
  /** Reconnection of the kline stream. */
  readonly stream?: Omit<KlineStreamOptions, "url" | "symbol" | "timeframe">;
}

/**
 * Binance spot market data (api.binance.com, no key needed for market data): history from GET /api/v3/klines in pages
 * of 1,000 klines, waiting for the next minute when the used-weight header nears the budget and honouring 429/418
 * `Retry-After`; live bars from the kline WebSocket stream (final when Binance marks them closed). Crypto trades around
 * the clock, so the adapter names no calendar.
 */
export class BinanceProvider implements MarketDataProvider {
  readonly name = "binance";
  private readonly http: ProviderHttpClient;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BinanceOptions) {
    this.http = new ProviderHttpClient({ ...options, provider: this.name });
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async *history(request: HistoryRequest, signal?: AbortSignal): AsyncIterable<HistoryPage> {
    const duration = timeframeDurationMs(request.timeframe);
    let cursor = request.from;
    while (cursor <= request.to) {
      const { body, headers } = await this.http.getJson(
        "api/v3/klines",
        { symbol: request.symbol, interval: binanceInterval(request.timeframe), startTime: cursor, endTime: request.to + duration - 1, limit: BINANCE_PAGE_SIZE },
        (status, answer) => this.mapErrorAnswer(request.symbol, status, answer),
        signal,
      );
      const parsed = restKlines.safeParse(body);
      if (!parsed.success) throw malformedAnswer(this.name, `klines ${firstIssue(parsed.error)}`);
      const now = this.clock();
      const bars = parsed.data.map(barOfRestKline).filter((bar) => bar.openTime >= cursor && bar.openTime <= request.to && bar.openTime + duration <= now);
      await this.respectWeight(headers);
      if (bars.length > 0) yield { bars };
      if (parsed.data.length < BINANCE_PAGE_SIZE) return;
      const next = parsed.data[parsed.data.length - 1][0] + duration;
      if (next <= cursor) throw malformedAnswer(this.name, "klines do not advance");
      cursor = next;
    }
  }

  live(symbol: string, timeframe: Timeframe, handlers: LiveFeedHandlers): LiveFeed {
    return new BinanceKlineStream({ ...this.options.stream, url: this.options.streamUrl, symbol, timeframe }, handlers);
  }

  calendarOf(): TradingCalendar | undefined {
    return undefined;
  }

  /** Waits for the next minute when the weight used in this one nears the budget (Binance bans IPs that exceed it). */
  private async respectWeight(headers: Headers): Promise<void> {
    const used = Number(headers.get("x-mbx-used-weight-1m"));
    const pauseAt = this.options.weightPauseAt ?? BINANCE_WEIGHT_PER_MINUTE * 0.8;
    if (!Number.isFinite(used) || used < pauseAt) return;
    const waitMs = 60_000 - (this.clock() % 60_000);
    this.options.onWeightPause?.(used, waitMs);
    await this.sleep(waitMs);
  }

  /** Binance answers 400 {code: -1121, msg: "Invalid symbol."} for an unknown symbol; -1120 for a bad interval. */
  private mapErrorAnswer(symbol: string, status: number, body: unknown): DomainError | undefined {
    const code = (body as { code?: unknown } | undefined)?.code;
    if (status === 400 && code === -1121) return badUserInput(`Binance spot has no symbol ${quoteInput(symbol)}. Use its spot symbol, e.g. "BTCUSDT".`, { provider: this.name });
    if (status === 400 && code === -1120) return badUserInput(`Binance spot has no klines of this timeframe.`, { provider: this.name });
    return undefined;
  }
}
