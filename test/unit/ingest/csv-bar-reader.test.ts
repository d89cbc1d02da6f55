import { createReadStream } from "fs";
import path from "path";
import { PassThrough, Readable } from "stream";
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { findGaps } from "../../../src/domain/gaps";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN } from "../../../src/domain/trading-calendar";
import { CsvRow, readBarCsv } from "../../../src/ingest/csv-bar-reader";
import { SHARED_DATA_DIR } from "../../support/market-data";
const HEADER = "ts,open,high,low,close,volume";
const ms = (iso: string) => Date.parse(iso);

/** All rows of `input`, fed to the reader in 7-byte chunks so that records straddle chunk boundaries. */
async function readAll(input: string | Readable, timeframe = Timeframe.M1): Promise<CsvRow[]> {
  const stream = typeof input === "string" ? Readable.from(input.match(/[\s\S]{1,7}/g) ?? []) : input;
  const rows: CsvRow[] = [];
  for await (const row of readBarCsv(stream, timeframe)) {
    rows.push(row);
  }
  return rows;
}

/** The single row of a CSV with our header and one data line. */
async function readOne(dataLine: string, timeframe = Timeframe.M1): Promise<CsvRow> {
  const rows = await readAll(`${HEADER}\n${dataLine}\n`, timeframe);
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function expectBadInput(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
  expect((error as DomainError).message).toContain(message);
}

describe("readBarCsv, ts,open,high,low,close,volume layout", () => {
  it("reads bars with their physical line numbers", async () => {
    const rows = await readAll(`${HEADER}\n2024-01-01T00:00:00Z,10,12,9,11,5\n2024-01-01T00:01:00Z,11,11.5,10.5,11.25,0\n`);
    expect(rows).toEqual([
      { line: 2, bar: { openTime: ms("2024-01-01T00:00:00Z"), open: 10, high: 12, low: 9, close: 11, volume: 5 } },
      { line: 3, bar: { openTime: ms("2024-01-01T00:01:00Z"), open: 11, high: 11.5, low: 10.5, close: 11.25, volume: 0 } },
    ]);
  });

  it("takes the column order from the header, case-insensitively, and ignores extra columns", async () => {
    const rows = await readAll("Close,Volume,spread,TS,High,Low,Open\n11,5,2,2024-01-01T00:00:00Z,12,9,10\n");
    expect(rows).toEqual([{ line: 2, bar: { openTime: ms("2024-01-01T00:00:00Z"), open: 10, high: 12, low: 9, close: 11, volume: 5 } }]);
  });

  it("accepts epoch milliseconds and ISO-8601 with an offset", async () => {
    const times = ["1704067200000", "2024-01-01T02:01:00+02:00", "2023-12-31T19:02:00.000-0500", "2024-01-01T00:03Z"];
    const rows = await readAll([HEADER, ...times.map((time) => `${time},10,12,9,11,5`)].join("\n"));
    expect(rows.map((row) => ("bar" in row ? row.bar.openTime : row.error))).toEqual([
      ms("2024-01-01T00:00:00Z"),
      ms("2024-01-01T00:01:00Z"),
      ms("2024-01-01T00:02:00Z"),
      ms("2024-01-01T00:03:00Z"),
    ]);
  });

  it("keeps line numbers across blank lines, CRLF endings, a BOM and a blank trailing line", async () => {
    const csv = `\uFEFF${HEADER}\r\n2024-01-01T00:00:00Z,10,12,9,11,5\r\n\r\n2024-01-01T00:01:00Z,10,12,9,11,5\r\n\r\n`;
    const rows = await readAll(csv);
    expect(rows.map((row) => row.line)).toEqual([2, 4]);
    expect(rows.every((row) => "bar" in row)).toBe(true);
  });

  it.each([
    ["2024-01-01T00:00:00Z,10,12,9,11", "expected 6 columns (ts,open,high,low,close,volume), found 5"],
    ["2024-01-01T00:00:00Z,10,12,9,11,5,7", "expected 6 columns (ts,open,high,low,close,volume), found 7"],
    ["yesterday,10,12,9,11,5", 'open time "yesterday" is neither ISO-8601 with a zone'],
    ["2024-01-01,10,12,9,11,5", 'open time "2024-01-01" is neither ISO-8601 with a zone'],
    ["2024-01-01T00:00:00,10,12,9,11,5", 'open time "2024-01-01T00:00:00" is neither'],
    ["2024-13-01T00:00:00Z,10,12,9,11,5", 'open time "2024-13-01T00:00:00Z" is neither'],
    ["2023-02-29T00:00:00Z,10,12,9,11,5", 'open time "2023-02-29T00:00:00Z" is neither'],
    ["2024-01-01T24:00:00Z,10,12,9,11,5", 'open time "2024-01-01T24:00:00Z" is neither'],
    ["1704067200,10,12,9,11,5", "open time 1704067200 looks like epoch seconds"],
    [
      "2024-01-01T00:00:30Z,10,12,9,11,5",
      "open time 2024-01-01T00:00:30Z is not on the 1m grid; bars must start on the UTC grid of their timeframe",
    ],
    ["2024-01-01T00:00:00Z,abc,12,9,11,5", 'open "abc" is not a number'],
    ["2024-01-01T00:00:00Z,10,,9,11,5", 'high "" is not a number'],
    ["2024-01-01T00:00:00Z,10,12,9,NaN,5", 'close "NaN" is not a number'],
    ["2024-01-01T00:00:00Z,10,12,9,11,1e999", 'volume "1e999" is not a finite number'],
    ["2024-01-01T00:00:00Z,0,12,0,11,5", "open 0 must be greater than 0"],
    ["2024-01-01T00:00:00Z,10,8,9,8.5,5", "high 8 is below low 9"],
    ["2024-01-01T00:00:00Z,10,10.5,9,11,5", "high 10.5 is below max(open 10, close 11)"],
    ["2024-01-01T00:00:00Z,10,12,10.5,11,5", "low 10.5 is above min(open 10, close 11)"],
    ["2024-01-01T00:00:00Z,10,12,9,11,-1", "volume -1 is negative"],
  ])("rejects %p", async (dataLine, reason) => {
    const row = await readOne(dataLine);
    expect(row.line).toBe(2);
    expect("error" in row && row.error).toContain(reason);
  });

  it("reports each bad row at its own line and keeps reading", async () => {
    const csv = [HEADER, "2024-01-01T00:00:00Z,10,12,9,11,5", "", "2024-01-01T00:00:30Z,10,12,9,11,5", "2024-01-01T00:02:00Z,10,12,9,11,5", "x"].join("\n");
    const rows = await readAll(csv);
    expect(rows.map((row) => [row.line, "bar" in row])).toEqual([
      [2, true],
      [4, false],
      [5, true],
      [6, false],
    ]);
  });
});

describe("readBarCsv, Binance kline layout", () => {
  const kline = (openTime: string, closeTime = "1704067259999") =>
    `${openTime},42283.58,42298.62,42261.02,42298.61,35.92724,${closeTime},1519121.5806,1385,19.01306,803966.8489,0`;
  const bar = { openTime: ms("2024-01-01T00:00:00Z"), open: 42283.58, high: 42298.62, low: 42261.02, close: 42298.61, volume: 35.92724 };

  it("reads the headerless dump from line 1", async () => {
    expect(await readAll(`${kline("1704067200000")}\n${kline("1704067260000")}\n`)).toEqual([
      { line: 1, bar },
      { line: 2, bar: { ...bar, openTime: bar.openTime + 60_000 } },
    ]);
  });

  it("reads the variant with a header line", async () => {
    const header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
    expect(await readAll(`${header}\n${kline("1704067200000")}\n`)).toEqual([{ line: 2, bar }]);
  });

  it("accepts open times in microseconds (Binance spot since 2025-01-01)", async () => {
    const rows = await readAll(`${kline("1735689600000000", "1735689659999999")}\n`);
    expect(rows).toEqual([{ line: 1, bar: { ...bar, openTime: ms("2025-01-01T00:00:00Z") } }]);
  });

  it("rejects microseconds that are not a whole millisecond", async () => {
    expect(await readAll(`${kline("1735689600000500")}\n`)).toEqual([
      { line: 1, error: "open time 1735689600000500 (epoch microseconds) is not a whole millisecond" },
    ]);
  });

  it("does not check close_time (the 2023-03-24 outage bar closes early)", async () => {
    const outage = "1679659200000,28080.00000000,28080.00000000,28080.00000000,28080.00000000,0.00000000,1679661581646,0.00000000,0,0.00000000,0.00000000,0";
    const rows = await readAll(`${outage}\n`, Timeframe.H1);
    expect(rows).toEqual([
      { line: 1, bar: { openTime: ms("2023-03-24T12:00:00Z"), open: 28080, high: 28080, low: 28080, close: 28080, volume: 0 } },
    ]);
  });

  it("rejects a row with the wrong column count", async () => {
    const rows = await readAll(`${kline("1704067200000")}\n${kline("1704067260000")},extra\n`);
    expect(rows[1]).toEqual({ line: 2, error: expect.stringContaining("expected 12 columns (Binance kline layout open_time,") });
  });
});

describe("readBarCsv, unreadable files", () => {
  it("rejects a first line that is neither a known header nor a 12-column Binance row", async () => {
    await expectBadInput(readAll("time,o,h,l,c,v\n"), "Line 1 is not a known CSV header: missing ts or open_time, open, high, low, close, volume");
    await expectBadInput(readAll("1704067200000,10,12,9,11,5\n"), "Line 1 is a data row of 6 columns without a header");
  });

  it("rejects broken CSV syntax, naming the line", async () => {
    await expectBadInput(readAll(`${HEADER}\n2024-01-01T00:00:00Z,10,12,9,11,5\n2024-01-01T00:01:00Z,"10,12,9,11,5\n`), "CSV syntax error near line 3");
  });

  it("bounds field and record lengths: a long field rejects its row, a huge record the file, each naming the line", async () => {
    const long = "1".repeat(100);
    expect(await readOne(`2024-01-01T00:00:00Z,${long},2,1,1.5,10`)).toEqual({ line: 2, error: "open is 100 characters long; at most 64 are accepted" });
    const huge = `ts,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,1,1.5,10\n2024-01-01T00:01:00Z,${"9".repeat(10_000_000)},2,1,1.5,10\n`;
    await expect(readAll(huge)).rejects.toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringMatching(/line 3: .*record/i) });
  });

  it("yields nothing for an empty file", async () => {
    expect(await readAll("")).toEqual([]);
  });

  it("passes on an error of the input stream", async () => {
    const input = new PassThrough();
    input.write(`${HEADER}\n2024-01-01T00:00:00Z,10,12,9,11,5\n`);
    setImmediate(() => input.destroy(new Error("disk on fire")));
    await expect(readAll(input)).rejects.toThrow("disk on fire");
  });
});

describe("readBarCsv on the real market data (/work/shared/data)", () => {
  async function readFile(file: string, timeframe: Timeframe): Promise<{ openTimes: number[]; errors: number }> {
    const openTimes: number[] = [];
    let errors = 0;
    for await (const row of readBarCsv(createReadStream(path.join(SHARED_DATA_DIR, file)), timeframe)) {
      if ("bar" in row) {
        openTimes.push(row.bar.openTime);
      } else {
        errors++;
      }
    }
    return { openTimes, errors };
  }

  async function summarize(file: string, timeframe: Timeframe) {
    const { openTimes, errors } = await readFile(file, timeframe);
    const iso = (openTime: number | undefined) => new Date(openTime ?? Number.NaN).toISOString();
    return { count: openTimes.length, errors, first: iso(openTimes[0]), last: iso(openTimes[openTimes.length - 1]) };
  }

  it("streams BTCUSDT-1m.csv: 50,000 valid bars", async () => {
    expect(await summarize("BTCUSDT-1m.csv", Timeframe.M1)).toEqual({
      count: 50_000,
      errors: 0,
      first: "2024-02-12T03:00:00.000Z",
      last: "2024-03-17T20:19:00.000Z",
    });
  });

  it("streams the Binance dump binance-raw/BTCUSDT-1h-2023-03.csv: 743 valid bars", async () => {
    expect(await summarize("binance-raw/BTCUSDT-1h-2023-03.csv", Timeframe.H1)).toEqual({
      count: 743,
      errors: 0,
      first: "2023-03-01T00:00:00.000Z",
      last: "2023-03-31T23:00:00.000Z",
    });
  });

  it("finds the missing 13:00 hour of the 2023-03-24 outage in the Binance dump", async () => {
    const { openTimes } = await readFile("binance-raw/BTCUSDT-1h-2023-03.csv", Timeframe.H1);
    expect(findGaps(openTimes, Timeframe.H1, ALWAYS_OPEN)).toEqual([
      { firstMissingOpenTime: ms("2023-03-24T13:00:00Z"), lastMissingOpenTime: ms("2023-03-24T13:00:00Z"), missingBars: 1 },
    ]);
  });

  it("rejects every row of a 1h file read as 1d, on the grid rule", async () => {
    const summary = await summarize("binance-raw/BTCUSDT-1h-2023-03.csv", Timeframe.D1);
    expect(summary.count).toBe(31);
    expect(summary.errors).toBe(743 - 31);
  });
});
