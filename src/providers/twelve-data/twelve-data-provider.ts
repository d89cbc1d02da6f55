import { z } from "zod";
import { badUserInput, DomainError, ErrorCode, quoteInput } from "../../domain/errors";
import { Timeframe, timeframeDurationMs } from "../../domain/timeframe";
import { parseCalendarPreset, type TradingCalendar } from "../../domain/trading-calendar";
import type { HistoryPage, HistoryRequest, LiveFeed, LiveFeedHandlers, MarketDataProvider } from "../../ingest/ports/market-data-provider";
import { PollingLiveFeed, type PollingOptions } from "../polling-live-feed";
import { firstIssue, malformedAnswer, ProviderHttpClient, type ProviderHttpOptions } from "../provider-http";

/** Most values Twelve Data returns per time_series call. */
export const TWELVE_DATA_PAGE_SIZE = 5_000;

const INTERVALS: Readonly<Record<Timeframe, string>> = {
  [Timeframe.M1]: "1min",
  [Timeframe.M5]: "5min",
  [Timeframe.M15]: "15min",
  [Timeframe.M30]: "30min",
  [Timeframe.H1]: "1h",
  [Timeframe.H4]: "4h",
  [Timeframe.D1]: "1day",
};

/** ISO 4217 codes that make a six-letter symbol a currency pair (EURUSD is EUR/USD at Twelve Data). */
const CURRENCIES = new Set(["AUD", "CAD", "CHF", "CNH", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "JPY", "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "TRY", "USD", "ZAR"]);

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, "a decimal number");

/** A time_series answer (status "ok"); `datetime` is "YYYY-MM-DD HH:MM:SS", or "YYYY-MM-DD" for daily values. */
const timeSeries = z.object({
  status: z.literal("ok"),
  values: z.array(
    z.object({
      datetime: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, "YYYY-MM-DD[ HH:MM:SS]"),
      open: decimalText,
      high: decimalText,
      low: decimalText,
      close: decimalText,
      volume: decimalText.optional(),
    }),
  ),
});

/** Configuration of the Twelve Data adapter. */
export interface TwelveDataOptions extends Omit<ProviderHttpOptions, "provider" | "statusInBody" | "secretParameters"> {
  /** The API key (CANDELA_TWELVE_DATA_API_KEY); sent as `apikey`, never logged. */
  readonly apiKey: string;
  /** Pacing of the polled live feed. */
  readonly polling?: PollingOptions;
}

/**
 * Twelve Data (api.twelvedata.com) for FX and stocks: history from GET /time_series in UTC, oldest first, one request per
 * window of at most 5,000 bar slots; live bars by polling it after each bar closes (its WebSocket sends prices, not
 * bars). Six-letter symbols of two ISO currencies are FX pairs ("EURUSD" asks for "EUR/USD", calendar `fx`); others
 * are US stocks and ETFs (calendar `nyse`). FX values carry no volume: their bars get volume 0.
 */
export class TwelveDataProvider implements MarketDataProvider {
  readonly name = "twelvedata";
  private readonly http: ProviderHttpClient;

  constructor(private readonly options: TwelveDataOptions) {
    this.http = new ProviderHttpClient({ ...options, provider: this.name, secretParameters: ["apikey"], statusInBody });
  }

  async *history(request: HistoryRequest, signal?: AbortSignal): AsyncIterable<HistoryPage> {
    const duration = timeframeDurationMs(request.timeframe);
    const window = TWELVE_DATA_PAGE_SIZE * duration;
    for (let start = request.from; start <= request.to; start += window) {
      const end = Math.min(request.to, start + window - duration);
      const { body } = await this.http.getJson(
        "time_series",
        {
          symbol: providerSymbol(request.symbol),
          interval: INTERVALS[request.timeframe],
          start_date: dateTimeText(start),
          end_date: dateTimeText(end),
          timezone: "UTC",
          order: "asc",
          outputsize: TWELVE_DATA_PAGE_SIZE,
          apikey: this.options.apiKey,
        },
        (status, answer) => mapErrorAnswer(request.symbol, status, answer),
        signal,
      ).catch((error: unknown) => {
        if (error instanceof NoData) return { body: { status: "ok", values: [] } };
        throw error;
      });
      const parsed = timeSeries.safeParse(body);
      if (!parsed.success) throw malformedAnswer(this.name, `time_series ${firstIssue(parsed.error)}`);
      const bars = parsed.data.values
        .map((value) => ({
          openTime: Date.parse(`${value.datetime.length === 10 ? `${value.datetime}T00:00:00` : value.datetime.replace(" ", "T")}Z`),
          open: Number(value.open),
          high: Number(value.high),
          low: Number(value.low),
          close: Number(value.close),
          volume: value.volume === undefined ? 0 : Number(value.volume),
        }))
        .filter((bar) => bar.openTime >= start && bar.openTime <= end)
        .sort((a, b) => a.openTime - b.openTime);
      if (bars.length > 0) yield { bars };
    }
  }

  live(symbol: string, timeframe: Timeframe, handlers: LiveFeedHandlers): LiveFeed {
    return new PollingLiveFeed((request) => this.history(request), symbol, timeframe, handlers, this.options.polling);
  }

  calendarOf(symbol: string): TradingCalendar | undefined {
    return parseCalendarPreset(isCurrencyPair(symbol) ? "fx" : "nyse");
  }
}

/** Twelve Data's "No data is available on the specified dates": an empty window, not an error. */
class NoData extends DomainError {
  constructor() {
    super(ErrorCode.NOT_FOUND, "no data in the window");
  }
}

function isCurrencyPair(symbol: string): boolean {
  return /^[A-Z]{6}$/.test(symbol) && CURRENCIES.has(symbol.slice(0, 3)) && CURRENCIES.has(symbol.slice(3));
}

/** "EURUSD" → "EUR/USD"; stocks unchanged. */
function providerSymbol(symbol: string): string {
  return isCurrencyPair(symbol) ? `${symbol.slice(0, 3)}/${symbol.slice(3)}` : symbol;
}

/** "2024-01-02 13:00:00" (UTC), the form Twelve Data reads. */
function dateTimeText(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

/** Twelve Data reports errors as {status: "error", code, message}, in 200 answers as well. */
function statusInBody(body: unknown): number | undefined {
  const answer = body as { status?: unknown; code?: unknown } | undefined;
  return answer?.status === "error" && typeof answer.code === "number" ? answer.code : undefined;
}

function mapErrorAnswer(symbol: string, status: number, body: unknown): DomainError | undefined {
  const message = String((body as { message?: unknown } | undefined)?.message ?? "");
  if (/no data is available/i.test(message)) return new NoData();
  if (status === 400 || status === 404) return badUserInput(`Twelve Data has no symbol ${quoteInput(symbol)}. FX pairs are six letters (EURUSD); stocks their ticker (SPY).`, { provider: "twelvedata" });
  if (status === 401 || status === 403) return new DomainError(ErrorCode.UNAVAILABLE, "Twelve Data refused the API key. Set CANDELA_TWELVE_DATA_API_KEY to a valid key.", { dependency: "twelvedata", reason: "key refused" });
  return undefined;
}
