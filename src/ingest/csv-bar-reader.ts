import { CsvError, Info, parse } from "csv-parse";
import { pipeline } from "stream";
import { Bar } from "../domain/bar";
import { validateBar } from "../domain/bar-validation";
import { badUserInput } from "../domain/errors";
import { Timeframe } from "../domain/timeframe";
import { FieldError, isEpochDigits, parseNumberField, parseOpenTimeField } from "./bar-fields";

/**
 * One data line of a bar CSV: the parsed, validated bar, or why the line was rejected.
 * `line` is the 1-based physical line number in the file (for a record spanning several lines
 * through a quoted newline, its last line).
 */
export type CsvRow = { readonly line: number; readonly bar: Bar } | { readonly line: number; readonly error: string };

/** Longest record accepted, characters: a Binance kline row is about 150. */
const MAX_RECORD_SIZE = 4_096;

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
  // A record longer than any real one (a 10 MB "number") fails the import with its line, before it is held whole.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: MAX_RECORD_SIZE });
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
  if (isEpochDigits(firstRecord[0])) {
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
      openTime: parseOpenTimeField(record[layout.index.openTime]),
      open: parseNumberField("open", record[layout.index.open]),
      high: parseNumberField("high", record[layout.index.high]),
      low: parseNumberField("low", record[layout.index.low]),
      close: parseNumberField("close", record[layout.index.close]),
      volume: parseNumberField("volume", record[layout.index.volume]),
    };
    const error = validateBar(bar, timeframe);
    return error === null ? { line, bar } : { line, error };
  } catch (error) {
    if (error instanceof FieldError) {
      return { line, error: error.message };
    }
    throw error;
  }
}
