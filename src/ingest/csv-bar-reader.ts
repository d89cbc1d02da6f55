import { CsvError, Info, parse } from "csv-parse";
import { pipeline } from "stream";
import { Bar } from "../domain/bar";
import { validateBar } from "../domain/bar-validation";
import { badUserInput } from "../domain/errors";
import { Timeframe } from "../domain/timeframe";

/**
 * One data line of a bar CSV: the parsed, validated bar, or why the line was rejected.
 * `line` is the 1-based physical line number in the file (for a record spanning several lines
 * through a quoted newline, its last line).
 */
export type CsvRow = { readonly line: number; readonly bar: Bar } | { readonly line: number; readonly error: string };

/** Where a layout keeps each bar field, and how many columns every row must have. */
interface Layout {
  readonly hasHeader: boolean;
  readonly columnCount: number;
  readonly description: string;
  readonly index: Readonly<Record<keyof Bar, number>>;
}

const BINANCE_COLUMNS = [
  "open_time", "open", "high", "low", "close", "volume", "close_time",
  "quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore",
] as const;

const HEADERLESS_BINANCE: Layout = {
  hasHeader: false,
  columnCount: BINANCE_COLUMNS.length,
  description: `Binance kline layout ${BINANCE_COLUMNS.join(",")}`,
  index: { openTime: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 },
};

const PRICE_VOLUME_FIELDS = ["open", "high", "low", "close", "volume"] as const;
/** Names the open-time column may carry in a header: ours, and Binance's. */
const TIME_COLUMN_NAMES = ["ts", "open_time"] as const;

const EPOCH_DIGITS = /^\d+$/;
/** ISO-8601 date-time with a zone: year, month, day, hour, minute, [second, [fraction]], Z or sign, hours, minutes. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** Epoch values below this (1973-03-03 in ms) are taken for seconds, at or above 1e14 (year 5138 in ms) for microseconds. */
const MIN_EPOCH_MS = 1e11;
const MIN_EPOCH_US = 1e14;

/** A line-level rejection raised while parsing one row. */
class RowError extends Error {}

/**
 * Streams bars out of a CSV without loading the file, one {@link CsvRow} per data line, in file order.
 *
 * The layout is detected from the first line:
 * - a header with columns `ts,open,high,low,close,volume` in any order (extra columns ignored), `ts` being
 *   ISO-8601 with a zone (`2024-01-01T00:00:00Z`, `+02:00`) or epoch milliseconds;
 * - Binance's kline dump: 12 columns (open_time, open, high, low, close, volume, close_time, quote_volume,
 *   count, taker_buy_volume, taker_buy_quote_volume, ignore), with or without a header line, open_time in
 *   epoch milliseconds or, as in Binance spot dumps since 2025-01-01, microseconds (must be a whole ms).
 *   close_time is not checked: Binance's 2023-03-24 outage bar closes early and is genuine.
 * Every row is then checked by {@link validateBar} (grid, finite positive prices, high/low consistency,
 * volume >= 0). Blank lines, CRLF endings and a UTF-8 BOM are accepted. Duplicates are not checked here.
 *
 * @param input the CSV bytes; errors of the input stream end the iteration with that error
 * @param timeframe the timeframe every bar must be on the grid of
 * @throws DomainError BAD_USER_INPUT when the first line is no known layout or the CSV syntax is broken
 *   (e.g. an unclosed quote), naming the line
 */
export async function* readBarCsv(input: NodeJS.ReadableStream, timeframe: Timeframe): AsyncIterable<CsvRow> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  // Errors of either stream surface through the parser's iterator below.
  pipeline(input, parser, () => undefined);
  let layout: Layout | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      if (layout === undefined) {
        layout = detectLayout(record, info.lines);
        if (layout.hasHeader) {
          continue;
        }
      }
      yield parseRow(record, info.lines, layout, timeframe);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw badUserInput(`CSV syntax error near line ${error.lines}: ${error.message}`);
    }
    throw error;
  }
}

function detectLayout(firstRecord: readonly string[], line: number): Layout {
  if (EPOCH_DIGITS.test(firstRecord[0])) {
    if (firstRecord.length !== BINANCE_COLUMNS.length) {
      throw badUserInput(
        `Line ${line} is a data row of ${firstRecord.length} columns without a header: only Binance's 12-column ` +
          `kline rows may come without one. Add the header ts,open,high,low,close,volume.`,
      );
    }
    return HEADERLESS_BINANCE;
  }
  const names = firstRecord.map((name) => name.toLowerCase());
  const timeIndex = names.findIndex((name) => (TIME_COLUMN_NAMES as readonly string[]).includes(name));
  const missing = [
    ...(timeIndex < 0 ? [TIME_COLUMN_NAMES.join(" or ")] : []),
    ...PRICE_VOLUME_FIELDS.filter((field) => !names.includes(field)),
  ];
  if (missing.length > 0) {
    throw badUserInput(
      `Line ${line} is not a known CSV header: missing ${missing.join(", ")} (found ${firstRecord.join(",")}). ` +
        `Use the header ts,open,high,low,close,volume or Binance's kline layout.`,
    );
  }
  return {
    hasHeader: true,
    columnCount: names.length,
    description: firstRecord.join(","),
    index: {
      openTime: timeIndex,
      open: names.indexOf("open"),
      high: names.indexOf("high"),
      low: names.indexOf("low"),
      close: names.indexOf("close"),
      volume: names.indexOf("volume"),
    },
  };
}

function parseRow(record: readonly string[], line: number, layout: Layout, timeframe: Timeframe): CsvRow {
  if (record.length !== layout.columnCount) {
    return { line, error: `expected ${layout.columnCount} columns (${layout.description}), found ${record.length}` };
  }
  try {
    const bar: Bar = {
      openTime: parseOpenTime(record[layout.index.openTime]),
      open: parseNumber("open", record[layout.index.open]),
      high: parseNumber("high", record[layout.index.high]),
      low: parseNumber("low", record[layout.index.low]),
      close: parseNumber("close", record[layout.index.close]),
      volume: parseNumber("volume", record[layout.index.volume]),
    };
    const error = validateBar(bar, timeframe);
    return error === null ? { line, bar } : { line, error };
  } catch (error) {
    if (error instanceof RowError) {
      return { line, error: error.message };
    }
    throw error;
  }
}

/** Epoch ms from ISO-8601 with a zone, epoch milliseconds, or epoch microseconds that are a whole millisecond. */
function parseOpenTime(text: string): number {
  if (EPOCH_DIGITS.test(text)) {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) {
      throw new RowError(`open time ${text} is out of range for epoch milliseconds or microseconds`);
    }
    if (value < MIN_EPOCH_MS) {
      throw new RowError(`open time ${text} looks like epoch seconds; use epoch milliseconds or ISO-8601`);
    }
    if (value < MIN_EPOCH_US) {
      return value;
    }
    if (value % 1000 !== 0) {
      throw new RowError(`open time ${text} (epoch microseconds) is not a whole millisecond`);
    }
    return value / 1000;
  }
  const instant = parseIsoWithZone(text);
  if (instant === undefined) {
    throw new RowError(
      `open time "${text}" is neither ISO-8601 with a zone (e.g. 2024-01-01T00:00:00Z) nor epoch milliseconds`,
    );
  }
  return instant;
}

/**
 * Epoch ms of an ISO-8601 date-time with a zone, or undefined when malformed or out of range (month 13,
 * February 30, hour 24). Hand-written because Date.parse rolls invalid dates over and luxon is 40x slower.
 */
function parseIsoWithZone(text: string): number | undefined {
  const match = ISO_WITH_ZONE.exec(text);
  if (match === null) {
    return undefined;
  }
  const part = (group: number) => (match[group] === undefined ? 0 : Number(match[group]));
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(part);
  const millisecond = match[7] === undefined ? 0 : Number(match[7].padEnd(3, "0"));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const inRange =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 &&
    offsetHours <= 23 && offsetMinutes <= 59;
  const offsetMs = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMs : undefined;
}

function parseNumber(column: string, text: string): number {
  if (!DECIMAL.test(text)) {
    throw new RowError(`${column} "${text}" is not a number`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new RowError(`${column} "${text}" is not a finite number`);
  }
  return value;
}
