import { readFileSync } from "node:fs";
import path from "node:path";
import { DomainError, ErrorCode } from "../../src/domain/errors";
import { Timeframe } from "../../src/domain/timeframe";
import type { LiveBar } from "../../src/ingest/live-ingest.service";
import type { HistoryPage, MarketDataProvider } from "../../src/ingest/ports/market-data-provider";
import { BinanceProvider } from "../../src/providers/binance/binance-provider";
import { TwelveDataProvider } from "../../src/providers/twelve-data/twelve-data-provider";
import { createCircuitBreaker } from "../../src/resilience/circuit-breaker";
import { binanceDumpRows, FakeProviders, providerRowsOf, type ProviderRow } from "../support/fake-providers";
import { SHARED_DATA_DIR } from "../support/market-data";
import { eventually } from "../support/redis-server";

const read = (file: string) => readFileSync(path.join(SHARED_DATA_DIR, file), "utf8");
const MARCH = binanceDumpRows(read("binance-raw/BTCUSDT-1h-2023-03.csv"));
const MINUTES = providerRowsOf(read("BTCUSDT-1m.csv")).slice(0, 2_500);
const EURUSD = providerRowsOf(read("EURUSD-1h.csv")).slice(0, 6_000);
const HOUR = 3_600_000;

/** Every bar of every page, in order. */
async function collect(pages: AsyncIterable<HistoryPage>): Promise<{ bars: LiveBar[]; pages: number }> {
  const bars: LiveBar[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    bars.push(...page.bars.map((bar) => ({ ...bar, closed: true })));
  }
  return { bars, pages: count };
}

const asBar = (row: ProviderRow) => ({ openTime: row.openTime, open: Number(row.open), high: Number(row.high), low: Number(row.low), close: Number(row.close), volume: Number(row.volume) });

/**
 * The market-data adapters against a local fake of each provider's API (no internet), serving real bars of
 * ../shared/data in the providers' own formats: paging, rate-limit answers with Retry-After, 5xx, malformed bodies,
 * dropped sockets, unknown symbols, the used-weight header, secrets kept out of reports, and Binance's kline stream
 * with a connection dropped mid-stream.
 */
describe("market-data providers", () => {
  let fake: FakeProviders;
  let sleeps: number[];
  let retries: { url: string; reason: string }[];

  const binance = (overrides: Partial<ConstructorParameters<typeof BinanceProvider>[0]> = {}) =>
    new BinanceProvider({
      baseUrl: fake.url,
      streamUrl: fake.streamUrl,
      breaker: createCircuitBreaker("provider-binance", { timeoutMs: 2_000, volumeThreshold: 100 }),
      initialDelayMs: 1,
      maxDelayMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
      onRetry: (retry) => retries.push(retry),
      stream: { initialDelayMs: 20, maxDelayMs: 100 },
      ...overrides,
    });
  const twelveData = (apiKey = fake.twelveDataKey) =>
    new TwelveDataProvider({
      baseUrl: fake.url,
      apiKey,
      breaker: createCircuitBreaker("provider-twelvedata", { timeoutMs: 2_000, volumeThreshold: 100 }),
      initialDelayMs: 1,
      maxDelayMs: 5,
      sleep: async (ms) => void sleeps.push(ms),
      onRetry: (retry) => retries.push(retry),
    });

  beforeAll(async () => {
    fake = await FakeProviders.start();
    fake.setBinanceSeries("BTCUSDT", "1h", MARCH);
    fake.setBinanceSeries("BTCUSDT", "1m", MINUTES);
    fake.setTwelveDataSeries("EUR/USD", "1h", EURUSD);
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.faults.length = 0;
    fake.usedWeight = 2;
    sleeps = [];
    retries = [];
  });

  const request = (provider: MarketDataProvider, symbol: string, timeframe: Timeframe, rows: readonly ProviderRow[]) =>
    collect(provider.history({ symbol, timeframe, from: rows[0].openTime, to: rows[rows.length - 1].openTime }));

  describe("Binance spot klines", () => {
    it("pages through a range 1,000 klines at a time and returns every bar as the dump has it", async () => {
      const { bars, pages } = await request(binance(), "BTCUSDT", Timeframe.M1, MINUTES);
      expect(pages).toBe(3);
      expect(fake.requests).toHaveLength(3);
      expect(bars).toEqual(MINUTES.map((row) => ({ ...asBar(row), closed: true })));
      expect(fake.requests[0]).toContain("limit=1000");
    });

    it("accepts the 2023-03-24 outage bar with its early close time and leaves the missing hour out", async () => {
      const { bars } = await request(binance(), "BTCUSDT", Timeframe.H1, MARCH);
      expect(bars).toHaveLength(743);
      const outage = Date.parse("2023-03-24T12:00:00Z");
      expect(bars.find((bar) => bar.openTime === outage)).toMatchObject({ open: 28080, close: 28080, volume: 0 });
      expect(bars.some((bar) => bar.openTime === outage + HOUR)).toBe(false);
    });

    it("leaves out the bar that has not closed by the provider's clock", async () => {
      const last = MARCH[MARCH.length - 1].openTime;
      const { bars } = await request(binance({ clock: () => last + HOUR / 2 }), "BTCUSDT", Timeframe.H1, MARCH);
      expect(bars[bars.length - 1].openTime).toBe(last - HOUR);
    });

    it("waits for a 429's Retry-After, then succeeds", async () => {
      fake.faults.push({ kind: "status", status: 429, retryAfter: "3" });
      const { bars } = await request(binance(), "BTCUSDT", Timeframe.H1, MARCH);
      expect(bars).toHaveLength(743);
      expect(sleeps).toEqual([3_000]);
      expect(retries.map((retry) => retry.reason)).toEqual(["rate limited"]);
    });

    it("gives up with UNAVAILABLE when a 418 asks to wait longer than it may", async () => {
      fake.faults.push({ kind: "status", status: 418, retryAfter: "7200" });
      const error = await request(binance(), "BTCUSDT", Timeframe.H1, MARCH).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: ErrorCode.UNAVAILABLE, details: { dependency: "binance", reason: "rate limited" } });
      expect((error as Error).message).toMatch(/wait 7200 s/);
      expect(fake.requests).toHaveLength(1);
    });

    it("retries 5xx answers, bodies that are not JSON and dropped connections with backoff", async () => {
      fake.faults.push({ kind: "status", status: 503 }, { kind: "not-json" }, { kind: "drop" });
      const { bars } = await request(binance(), "BTCUSDT", Timeframe.H1, MARCH);
      expect(bars).toHaveLength(743);
      expect(retries.map((retry) => retry.reason)).toEqual(["server error 503", "malformed answer", "connection failed"]);
      expect(fake.requests).toHaveLength(4);
    });

    it("fails with UNAVAILABLE once the attempts are spent", async () => {
      for (let attempt = 0; attempt < 5; attempt++) fake.faults.push({ kind: "status", status: 502 });
      await expect(request(binance(), "BTCUSDT", Timeframe.H1, MARCH)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, details: { reason: "server error 502" } });
      expect(fake.requests).toHaveLength(5);
    });

    it("refuses a well-formed answer of the wrong shape as a malformed answer, without retrying", async () => {
      fake.faults.push({ kind: "wrong-shape" });
      await expect(request(binance(), "BTCUSDT", Timeframe.H1, MARCH)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, details: { reason: "malformed answer" } });
      expect(fake.requests).toHaveLength(1);
    });

    it("answers an unknown symbol with BAD_USER_INPUT naming it, at once", async () => {
      await expect(collect(binance().history({ symbol: "NOPEUSDT", timeframe: Timeframe.H1, from: MARCH[0].openTime, to: MARCH[5].openTime }))).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        message: expect.stringContaining('"NOPEUSDT"'),
      });
      expect(fake.requests).toHaveLength(1);
    });

    it("waits for the next minute when the used weight nears the budget", async () => {
      fake.usedWeight = 5_000;
      const paused: number[] = [];
      const clock = () => Date.parse("2024-01-01T00:00:45Z");
      await request(binance({ clock: () => clock() + 10 * 365 * 86_400_000, weightPauseAt: 4_800, onWeightPause: (_used, waitMs) => paused.push(waitMs) }), "BTCUSDT", Timeframe.M1, MINUTES);
      expect(paused).toEqual([15_000, 15_000, 15_000]);
      expect(sleeps).toEqual([15_000, 15_000, 15_000]);
    });

    it("times out a call that hangs and retries it", async () => {
      fake.faults.push({ kind: "delay", ms: 1_500 });
      const provider = binance({ breaker: createCircuitBreaker("provider-binance", { timeoutMs: 300, volumeThreshold: 100 }) });
      const { bars } = await request(provider, "BTCUSDT", Timeframe.H1, MARCH);
      expect(bars).toHaveLength(743);
      expect(retries.map((retry) => retry.reason)).toEqual(["timed out"]);
    });

    it("fails fast with its breaker open after repeated failures", async () => {
      const breaker = createCircuitBreaker("provider-binance", { timeoutMs: 2_000, volumeThreshold: 3, resetTimeoutMs: 60_000 });
      for (let attempt = 0; attempt < 5; attempt++) fake.faults.push({ kind: "status", status: 500 });
      const provider = binance({ breaker, attempts: 3 });
      await expect(request(provider, "BTCUSDT", Timeframe.H1, MARCH)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
      const before = fake.requests.length;
      await expect(request(provider, "BTCUSDT", Timeframe.H1, MARCH)).rejects.toMatchObject({ details: { reason: "breaker open after repeated failures" } });
      expect(fake.requests.length).toBe(before);
      breaker.shutdown();
    });
  });

  describe("Twelve Data time_series", () => {
    it("asks for EUR/USD in windows of at most 5,000 bar slots and returns every bar, without volume", async () => {
      const { bars, pages } = await request(twelveData(), "EURUSD", Timeframe.H1, EURUSD);
      expect(bars).toEqual(EURUSD.map((row) => ({ ...asBar(row), volume: 0, closed: true })));
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(fake.requests.every((url) => url.includes("symbol=EUR%2FUSD") && url.includes("timezone=UTC"))).toBe(true);
    });

    it("names the calendars of FX pairs and stocks", () => {
      expect(twelveData().calendarOf("EURUSD")?.kind).toBe(twelveData().calendarOf("GBPJPY")?.kind);
      expect(twelveData().calendarOf("EURUSD")).not.toEqual(twelveData().calendarOf("SPY"));
    });

    it("retries an error reported in a 200 answer's body (429: out of credits) and keeps the API key out of every report", async () => {
      fake.faults.push({ kind: "body-error", code: 429, message: "You have run out of API credits for the current minute." });
      const { bars } = await request(twelveData(), "EURUSD", Timeframe.H1, EURUSD.slice(0, 100));
      expect(bars).toHaveLength(100);
      expect(retries).toHaveLength(1);
      expect(retries[0].url).toContain("apikey=***");
      expect(JSON.stringify(retries)).not.toContain(fake.twelveDataKey);
    });

    it("answers an empty window with no page, an unknown symbol with BAD_USER_INPUT, a refused key with UNAVAILABLE", async () => {
      const empty = await collect(twelveData().history({ symbol: "EURUSD", timeframe: Timeframe.H1, from: Date.parse("2001-01-01T00:00:00Z"), to: Date.parse("2001-01-02T00:00:00Z") }));
      expect(empty.pages).toBe(0);
      await expect(request(twelveData(), "XYZ", Timeframe.H1, EURUSD.slice(0, 10))).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
      const refused = await request(twelveData("wrong-key-123"), "EURUSD", Timeframe.H1, EURUSD.slice(0, 10)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: ErrorCode.UNAVAILABLE, message: expect.stringContaining("CANDELA_TWELVE_DATA_API_KEY") });
      expect((refused as Error).message).not.toContain("wrong-key-123");
    });
  });

  describe("Binance kline stream", () => {
    it("reports forming and closed bars, skips malformed events, and reconnects after a drop with the newest closed bar", async () => {
      const received: LiveBar[] = [];
      const reconnected: (number | undefined)[] = [];
      const errors: unknown[] = [];
      const feed = binance().live("BTCUSDT", Timeframe.M1, {
        onBar: (bar) => received.push(bar),
        onReconnected: (since) => reconnected.push(since),
        onError: (error) => errors.push(error),
      });
      try {
        await eventually(() => feed.connected, 5_000, "the stream to connect");
        expect(fake.streamConnections[fake.streamConnections.length - 1]).toBe("/ws/btcusdt@kline_1m");
        fake.pushKline("BTCUSDT", "1m", MINUTES[0], false);
        fake.pushText("{not json");
        fake.pushKline("BTCUSDT", "1m", MINUTES[0], true);
        await eventually(() => received.length === 2);
        expect(received).toEqual([{ ...asBar(MINUTES[0]), closed: false }, { ...asBar(MINUTES[0]), closed: true }]);
        expect(errors).toHaveLength(1);
        fake.dropStreams();
        await eventually(() => reconnected.length === 2, 5_000, "the stream to reconnect");
        expect(reconnected).toEqual([undefined, MINUTES[0].openTime]);
        fake.pushKline("BTCUSDT", "1m", MINUTES[1], true);
        await eventually(() => received.length === 3);
      } finally {
        await feed.close();
      }
      const count = received.length;
      fake.pushKline("BTCUSDT", "1m", MINUTES[2], true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toHaveLength(count);
      expect(fake.openStreams).toBe(0);
    });
  });
});
