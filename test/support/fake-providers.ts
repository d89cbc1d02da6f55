import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** One bar as a provider holds it: the open time (epoch ms) and the decimal texts it sends. */
export interface ProviderRow {
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  /** Binance's close time when it is not open time + duration - 1 (its outage bars). */
  readonly closeTime?: number;
}

/** What the next request gets instead of its answer (a queue: one fault per request, in order). */
export type Fault =
  | { readonly kind: "status"; readonly status: number; readonly retryAfter?: string }
  /** Twelve Data's way: HTTP 200 with {status: "error", code}. */
  | { readonly kind: "body-error"; readonly code: number; readonly message: string }
  | { readonly kind: "not-json" }
  | { readonly kind: "wrong-shape" }
  /** The connection is destroyed after the headers and part of the body. */
  | { readonly kind: "drop" }
  | { readonly kind: "delay"; readonly ms: number };

const DURATIONS: Record<string, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000 };
const TWELVE_INTERVALS: Record<string, string> = { "1min": "1m", "5min": "5m", "15min": "15m", "30min": "30m", "1h": "1h", "4h": "4h", "1day": "1d" };

/**
 * A local stand-in for Binance spot (GET /api/v3/klines, the kline WebSocket stream /ws/<symbol>@kline_<interval>) and
 * Twelve Data (GET /time_series), answering in their documented formats from rows the test gives it (real bars of
 * ../shared/data). Tests script faults (429/418 with Retry-After, 5xx, malformed bodies, dropped sockets), hide bars a
 * provider has not published yet, push kline events and drop stream connections. Only `now`'s closed or forming bars
 * are served, as the real APIs do.
 */
export class FakeProviders {
  /** Every request's path and query, in order. */
  readonly requests: string[] = [];
  readonly faults: Fault[] = [];
  /** Value of Binance's x-mbx-used-weight-1m header. */
  usedWeight = 2;
  /** Open times Binance does not serve yet (published late). */
  readonly unpublished = new Set<number>();
  /** Twelve Data's accepted API key. */
  twelveDataKey = "test-twelve-data-key";
  now: () => number = Date.now;
  private readonly binance = new Map<string, ProviderRow[]>();
  private readonly twelveData = new Map<string, ProviderRow[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly streamOpened: string[] = [];
  private readonly delayed = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly streams: WebSocketServer,
  ) {}

  /** Starts both fakes on one ephemeral loopback port. */
  static async start(): Promise<FakeProviders> {
    const server = createServer();
    const streams = new WebSocketServer({ server });
    const fake = new FakeProviders(server, streams);
    server.on("request", (request, response) => fake.answer(request, response));
    streams.on("connection", (socket, request) => {
      fake.sockets.add(socket);
      fake.streamOpened.push(request.url ?? "");
      socket.on("close", () => fake.sockets.delete(socket));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return fake;
  }

  /** http://127.0.0.1:<port>, the base URL of both REST APIs. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** ws://127.0.0.1:<port>, the stream base URL. */
  get streamUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves `rows` (ascending) as Binance klines of symbol/interval ("BTCUSDT", "1h"). */
  setBinanceSeries(symbol: string, interval: string, rows: readonly ProviderRow[]): void {
    this.binance.set(`${symbol}/${interval}`, [...rows]);
  }

  /** Serves `rows` as Twelve Data values of its symbol ("EUR/USD") and Candela interval label ("1h"). */
  setTwelveDataSeries(symbol: string, interval: string, rows: readonly ProviderRow[]): void {
    this.twelveData.set(`${symbol}/${interval}`, [...rows]);
  }

  /** Open stream connections now. */
  get openStreams(): number {
    return this.sockets.size;
  }

  /** Paths of every stream connection opened so far ("/ws/btcusdt@kline_1m"). */
  get streamConnections(): readonly string[] {
    return this.streamOpened;
  }

  /** Sends a kline event of `row` to every open stream of symbol/interval; `closed` sets Binance's `x` flag. */
  pushKline(symbol: string, interval: string, row: ProviderRow, closed: boolean): void {
    const event = {
      e: "kline",
      E: this.now(),
      s: symbol,
      k: { t: row.openTime, T: row.openTime + DURATIONS[interval] - 1, s: symbol, i: interval, o: row.open, h: row.high, l: row.low, c: row.close, v: row.volume, x: closed },
    };
    for (const socket of this.sockets) socket.send(JSON.stringify(event));
  }

  /** Sends raw text to every open stream (malformed events). */
  pushText(text: string): void {
    for (const socket of this.sockets) socket.send(text);
  }

  /** Drops every open stream connection (as a network failure would). */
  dropStreams(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    for (const timer of this.delayed) clearTimeout(timer);
    this.dropStreams();
    this.streams.close();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://fake");
    this.requests.push(`${url.pathname}${url.search}`);
    const fault = this.faults.shift();
    if (fault?.kind === "delay") {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        this.route(url, response);
      }, fault.ms);
      this.delayed.add(timer);
      return;
    }
    if (fault !== undefined) {
      this.fail(fault, response);
      return;
    }
    this.route(url, response);
  }

  private route(url: URL, response: ServerResponse): void {
    if (url.pathname === "/api/v3/klines") this.klines(url.searchParams, response);
    else if (url.pathname === "/time_series") this.timeSeries(url.searchParams, response);
    else send(response, 404, { code: 404, msg: "Not found." });
  }

  private fail(fault: Exclude<Fault, { kind: "delay" }>, response: ServerResponse): void {
    switch (fault.kind) {
      case "status":
        send(response, fault.status, { code: fault.status === 429 ? -1003 : -1000, msg: "fault" }, fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter });
        return;
      case "body-error":
        send(response, 200, { code: fault.code, message: fault.message, status: "error" });
        return;
      case "not-json":
        response.writeHead(200, { "content-type": "application/json" }).end("[[1677628800000,\"23141.57");
        return;
      case "wrong-shape":
        send(response, 200, { unexpected: true });
        return;
      case "drop":
        response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        response.write("[[1677628800000,");
        setTimeout(() => response.socket?.destroy(), 10);
        return;
    }
  }

  private klines(query: URLSearchParams, response: ServerResponse): void {
    const interval = query.get("interval") ?? "";
    const rows = this.binance.get(`${query.get("symbol")}/${interval}`);
    if (rows === undefined) {
      send(response, 400, { code: -1121, msg: "Invalid symbol." });
      return;
    }
    const duration = DURATIONS[interval];
    const start = Number(query.get("startTime") ?? 0);
    const end = Number(query.get("endTime") ?? Number.MAX_SAFE_INTEGER);
    const limit = Math.min(1000, Number(query.get("limit") ?? 500));
    const now = this.now();
    const page = rows.filter((row) => row.openTime >= start && row.openTime <= end && row.openTime <= now && !this.unpublished.has(row.openTime)).slice(0, limit);
    const body = page.map((row) => [row.openTime, row.open, row.high, row.low, row.close, row.volume, row.closeTime ?? row.openTime + duration - 1, "0", 0, "0", "0", "0"]);
    send(response, 200, body, { "x-mbx-used-weight-1m": String(this.usedWeight) });
  }

  private timeSeries(query: URLSearchParams, response: ServerResponse): void {
    if (query.get("apikey") !== this.twelveDataKey) {
      send(response, 200, { code: 401, message: "**apikey** parameter is incorrect or not specified.", status: "error" });
      return;
    }
    const symbol = query.get("symbol") ?? "";
    const interval = TWELVE_INTERVALS[query.get("interval") ?? ""];
    const rows = this.twelveData.get(`${symbol}/${interval}`);
    if (rows === undefined) {
      send(response, 200, { code: 400, message: `**symbol** not found: ${symbol}. Please specify it correctly according to API Documentation.`, status: "error" });
      return;
    }
    const parse = (text: string | null) => Date.parse(`${(text ?? "").replace(" ", "T")}Z`);
    const start = parse(query.get("start_date"));
    const end = parse(query.get("end_date"));
    const size = Math.min(5000, Number(query.get("outputsize") ?? 30));
    const now = this.now();
    const page = rows.filter((row) => row.openTime >= start && row.openTime <= end && row.openTime <= now).slice(0, size);
    if (page.length === 0) {
      send(response, 200, { code: 400, message: "No data is available on the specified dates. Try setting different start/end dates.", status: "error" });
      return;
    }
    const daily = interval === "1d";
    const values = page.map((row) => {
      const text = new Date(row.openTime).toISOString();
      const datetime = daily ? text.slice(0, 10) : `${text.slice(0, 10)} ${text.slice(11, 19)}`;
      return { datetime, open: row.open, high: row.high, low: row.low, close: row.close, ...(symbol.includes("/") ? {} : { volume: row.volume }) };
    });
    send(response, 200, { meta: { symbol, interval: query.get("interval"), type: symbol.includes("/") ? "Physical Currency" : "Common Stock" }, values, status: "ok" });
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** Rows of a normalized CSV of ../shared/data (ts,open,high,low,close,volume), keeping the decimal texts. */
export function providerRowsOf(csvText: string): ProviderRow[] {
  return csvText
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [ts, open, high, low, close, volume] = line.split(",");
      return { openTime: Date.parse(ts), open, high, low, close, volume };
    });
}

/** Rows of a Binance kline dump (binance-raw/), with its close times (the outage bar's is early). */
export function binanceDumpRows(csvText: string): ProviderRow[] {
  return csvText
    .trim()
    .split(/\r?\n/)
    .filter((line) => /^\d/.test(line))
    .map((line) => {
      const [openTime, open, high, low, close, volume, closeTime] = line.split(",");
      return { openTime: Number(openTime), open, high, low, close, volume, closeTime: Number(closeTime) };
    });
}
