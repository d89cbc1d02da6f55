import { z } from "zod";
import type { Bar } from "../../domain/bar";
import { timeframeLabel, type Timeframe } from "../../domain/timeframe";

/**
 * Binance spot's kline format, shared by the REST history (GET /api/v3/klines) and the WebSocket stream
 * (<symbol>@kline_<interval>). Binance documents prices and volumes as decimal strings and times as epoch ms.
 * The interval names equal Candela's timeframe labels (1m, 5m, 15m, 30m, 1h, 4h, 1d).
 */

/** A decimal string Binance sends for a price or volume, e.g. "28080.01000000". */
const decimalText = z.string().regex(/^\d+(\.\d+)?$/, "a decimal number");

/**
 * One REST kline: [open time, open, high, low, close, volume, close time, quote volume, trades, taker base volume,
 * taker quote volume, ignore]. The close time is not used: Binance's outage bars carry an early one (2023-03-24 12:00).
 */
export const restKline = z.tuple([z.number().int(), decimalText, decimalText, decimalText, decimalText, decimalText, z.number().int()]).rest(z.unknown());

/** The REST answer: klines, oldest first. */
export const restKlines = z.array(restKline);

/** One WebSocket kline event; `k.x` is true when the bar is final. */
export const klineEvent = z.object({
  e: z.literal("kline"),
  s: z.string(),
  k: z.object({ t: z.number().int(), i: z.string(), o: decimalText, h: decimalText, l: decimalText, c: decimalText, v: decimalText, x: z.boolean() }),
});

/** Binance's interval name of a timeframe. */
export function binanceInterval(timeframe: Timeframe): string {
  return timeframeLabel(timeframe);
}

/** A bar from a REST kline. */
export function barOfRestKline(kline: z.infer<typeof restKline>): Bar {
  return { openTime: kline[0], open: Number(kline[1]), high: Number(kline[2]), low: Number(kline[3]), close: Number(kline[4]), volume: Number(kline[5]) };
}

/** A bar and its closed flag from a WebSocket kline event. */
export function barOfKlineEvent(event: z.infer<typeof klineEvent>): Bar & { closed: boolean } {
  const { k } = event;
  return { openTime: k.t, open: Number(k.o), high: Number(k.h), low: Number(k.l), close: Number(k.c), volume: Number(k.v), closed: k.x };
}
