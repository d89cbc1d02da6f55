import { backOff } from "exponential-backoff";
import WebSocket from "ws";
import type { Timeframe } from "../../domain/timeframe";
import type { LiveFeed, LiveFeedHandlers } from "../../ingest/ports/market-data-provider";
import { barOfKlineEvent, binanceInterval, klineEvent } from "./binance-klines";

/** Where and how a kline stream connects. */
export interface KlineStreamOptions {
  /** WebSocket base URL, e.g. "wss://stream.binance.com:9443". */
  readonly url: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** First reconnection delay, ms; doubles with each failed attempt, with full jitter (default 500). */
  readonly initialDelayMs?: number;
  /** Longest delay between two connection attempts, ms (default 30 s). */
  readonly maxDelayMs?: number;
  /** A connection that sends nothing for this long is dropped and reopened, ms (default 3 minutes: Binance pings every 20 s). */
  readonly silenceMs?: number;
}

/**
 * One series' Binance kline stream (GET <url>/ws/<symbol>@kline_<interval>): every event becomes a live bar, final
 * when Binance sets its closed flag (`k.x`), forming otherwise. A dropped or silent connection is reopened with
 * exponential backoff and full jitter, for as long as the stream is open; each connection reports `onReconnected`
 * with the newest final bar seen before it, so the caller fetches the bars missed meanwhile over REST. Malformed
 * events are reported and skipped.
 */
export class BinanceKlineStream implements LiveFeed {
  private socket: WebSocket | undefined;
  private closing = false;
  private newestClosed: number | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private running: Promise<void>;

  constructor(
    private readonly options: KlineStreamOptions,
    private readonly handlers: LiveFeedHandlers,
  ) {
    this.running = this.keepConnected();
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.silenceTimer);
    this.socket?.terminate();
    await this.running;
  }

  /** Connects, waits for the connection to end, and reconnects with backoff until closed. */
  private async keepConnected(): Promise<void> {
    while (!this.closing) {
      let ended: Promise<void>;
      try {
        ({ ended } = await backOff(() => this.connect(), {
          numOfAttempts: Number.MAX_SAFE_INTEGER,
          startingDelay: this.options.initialDelayMs ?? 500,
          maxDelay: this.options.maxDelayMs ?? 30_000,
          jitter: "full",
          retry: (error: unknown) => {
            if (!this.closing) this.handlers.onError?.(error);
            return !this.closing;
          },
        }));
      } catch {
        return; // Closed while connecting.
      }
      if (this.closing) return;
      this.handlers.onReconnected?.(this.newestClosed);
      await ended;
      if (!this.closing) this.handlers.onError?.(new Error("kline stream closed by the server"));
    }
  }

  /** Opens one connection; resolves once it is open, to a promise of its end; rejects when it fails first. */
  private connect(): Promise<{ ended: Promise<void> }> {
    if (this.closing) return Promise.reject(new Error("closed"));
    const { url, symbol, timeframe } = this.options;
    const base = url.endsWith("/") ? url.slice(0, -1) : url;
    const socket = new WebSocket(`${base}/ws/${symbol.toLowerCase()}@kline_${binanceInterval(timeframe)}`);
    this.socket = socket;
    socket.on("message", (data) => {
      this.heardFrom(socket);
      this.receive(data.toString());
    });
    socket.on("ping", () => this.heardFrom(socket));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    ended.then(() => clearTimeout(this.silenceTimer), () => undefined);
    let opened = false;
    socket.on("error", (error) => {
      if (opened) this.handlers.onError?.(error);
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => {
        opened = true;
        this.heardFrom(socket);
        resolve({ ended });
      });
      socket.once("error", (error) => {
        if (!opened) reject(error);
      });
      socket.once("close", () => {
        if (!opened) reject(new Error("kline stream closed before it opened"));
      });
    });
  }

  private heardFrom(socket: WebSocket): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => socket.terminate(), this.options.silenceMs ?? 180_000);
    this.silenceTimer.unref();
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.handlers.onError?.(new Error("kline stream sent a message that is not JSON; skipped"));
      return;
    }
    const parsed = klineEvent.safeParse(json);
    if (!parsed.success || parsed.data.s.toUpperCase() !== this.options.symbol.toUpperCase()) {
      this.handlers.onError?.(new Error("kline stream sent a malformed kline event; skipped"));
      return;
    }
    const bar = barOfKlineEvent(parsed.data);
    if (bar.closed) this.newestClosed = Math.max(this.newestClosed ?? -Infinity, bar.openTime);
    this.handlers.onBar(bar);
  }
}
