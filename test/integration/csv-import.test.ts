import path from "node:path";
import { Pool } from "pg";
import { Timeframe } from "../../src/domain/timeframe";
import { parseCalendarPreset } from "../../src/domain/trading-calendar";
import { importCsvFile } from "../../src/ingest/csv-import";
import { SHARED_DATA_DIR } from "../support/market-data";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { BarDeletionRepository } from "../../src/store/offline/bar-deletion.repository";

const HEADER = "ts,open,high,low,close,volume";

describe("importCsvFile into the real PostgreSQL", () => {
  let pool: Pool;
  const files = temporaryFolder();

  beforeAll(() => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
  });
  beforeEach(() => emptyStore(pool));
  afterAll(async () => {
    await pool.end();
    files.cleanup();
  });

  /** Every stored bar of a series as text rows, to compare whole tables before and after. */
  async function storedBars(symbol: string, timeframe = "1m"): Promise<string[]> {
    const result = await pool.query(
      `SELECT open_time, open, high, low, close, volume FROM bar WHERE symbol = $1 AND timeframe = $2 ORDER BY open_time`,
      [symbol, timeframe],
    );
    return result.rows.map((row) => JSON.stringify(row));
  }

  it("imports a real 1m series, finds its two maintenance gaps, and is idempotent on re-import", async () => {
    const file = path.join(SHARED_DATA_DIR, "BTCUSDT-1m-2021-04.csv");
    const first = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false });
    expect(first).toMatchObject({ rowsRead: 50_000, inserted: 50_000, updated: 0, unchanged: 0, rejected: 0, committed: true });
    expect(first.gaps.map((gap) => [new Date(gap.firstMissingOpenTime).toISOString(), gap.missingBars])).toEqual([
      ["2021-04-20T02:00:00.000Z", 150],
      ["2021-04-25T04:01:00.000Z", 284],
    ]);
    expect(first.missingBars).toBe(434);
    const before = await storedBars("BTCUSDT");

    const second = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false });
    expect(second).toMatchObject({ rowsRead: 50_000, inserted: 0, updated: 0, unchanged: 50_000, committed: true });
    expect(await storedBars("BTCUSDT")).toEqual(before);
  });

  it("stores prices exactly as the file's decimal text (float8 round-trips the parsed double)", async () => {
    const file = files.write("exact.csv", `${HEADER}\n2024-01-01T00:00:00Z,46216.93,46731.39,46208.37,46656.13,1503.33095\n`);
    await importCsvFile(postgresBarImportStore(pool), { file, symbol: "EXACT", timeframe: Timeframe.M1, skipInvalid: false });
    const row = (await pool.query("SELECT open::text, high::text, low::text, close::text, volume::text FROM bar")).rows[0];
    expect(row).toEqual({ open: "46216.93", high: "46731.39", low: "46208.37", close: "46656.13", volume: "1503.33095" });
  });

  it("rejects a file with bad rows as a whole, reporting each line, and leaves stored bars exactly as they were", async () => {
    const good = files.write("good.csv", `${HEADER}\n2024-01-01T00:00:00Z,10,11,9,10.5,100\n2024-01-01T00:01:00Z,10.5,12,10,11,50\n`);
    await importCsvFile(postgresBarImportStore(pool), { file: good, symbol: "TEST", timeframe: Timeframe.M1, skipInvalid: false });
    const before = await storedBars("TEST");

    const bad = files.write(
      "bad.csv",
      [
        HEADER,
        "2024-01-01T00:00:00Z,99,99,99,99,1", // valid: would update the first stored bar
        "2024-01-01T00:02:30Z,10,11,9,10,1", // off the 1m grid
        "2024-01-01T00:03:00Z,10,9,11,10,1", // high below low
        "2024-01-01T00:04:00Z,10,11,9,10,-5", // negative volume
        "2024-01-01T00:05:00Z,abc,11,9,10,1", // not a number
        "2024-01-01T00:06:00Z,10,11,9,10,1",
        "2024-01-01T00:06:00Z,10,11,9,10,2", // duplicate open time
      ].join("\n"),
    );
    const rejectedLines: number[] = [];
    const summary = await importCsvFile(postgresBarImportStore(pool), {
      file: bad,
      symbol: "TEST",
      timeframe: Timeframe.M1,
      skipInvalid: false,
      onRejected: (row) => rejectedLines.push(row.line),
    });
    expect(summary).toMatchObject({ committed: false, inserted: 0, updated: 0, rejected: 5 });
    expect(summary.rejectedRows.map((row) => row.line)).toEqual([3, 4, 5, 6, 8]);
    expect(rejectedLines.sort()).toEqual([3, 4, 5, 6, 8]);
    expect(summary.rejectedRows[0].reason).toMatch(/grid/);
    expect(summary.rejectedRows[4].reason).toMatch(/duplicate open time 2024-01-01T00:06:00.000Z \(first on line 7\)/);
    expect(await storedBars("TEST")).toEqual(before);
  });

  it("imports only the valid rows with skipInvalid and counts the skipped ones", async () => {
    const file = files.write(
      "mixed.csv",
      [HEADER, "2024-01-01T00:00:00Z,10,11,9,10,1", "2024-01-01T00:01:00Z,10,9,11,10,1", "2024-01-01T00:02:00Z,10,11,9,10,1", "2024-01-01T00:02:00Z,10,11,9,10,1"].join("\n"),
    );
    const summary = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "MIXED", timeframe: Timeframe.M1, skipInvalid: true });
    expect(summary).toMatchObject({ committed: true, rowsRead: 4, inserted: 2, rejected: 2 });
    expect(summary.gaps).toEqual([
      { firstMissingOpenTime: Date.parse("2024-01-01T00:01:00Z"), lastMissingOpenTime: Date.parse("2024-01-01T00:01:00Z"), missingBars: 1 },
    ]);
    expect((await storedBars("MIXED")).length).toBe(2);
  });

  it("updates changed bars and reports them as updated", async () => {
    const original = files.write("v1.csv", `${HEADER}\n2024-01-01T00:00:00Z,10,11,9,10,1\n`);
    const corrected = files.write("v2.csv", `${HEADER}\n2024-01-01T00:00:00Z,10,11,9,10.25,1\n2024-01-01T00:01:00Z,10,11,9,10,1\n`);
    await importCsvFile(postgresBarImportStore(pool), { file: original, symbol: "FIX", timeframe: Timeframe.M1, skipInvalid: false });
    const summary = await importCsvFile(postgresBarImportStore(pool), { file: corrected, symbol: "FIX", timeframe: Timeframe.M1, skipInvalid: false });
    expect(summary).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
  });

  it("imports the raw Binance kline dump including the 2023-03-24 outage bar, and reports the missing 13:00 bar", async () => {
    const file = path.join(SHARED_DATA_DIR, "binance-raw", "BTCUSDT-1h-2023-03.csv");
    const summary = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    expect(summary).toMatchObject({ inserted: 743, rejected: 0, committed: true, missingBars: 1 });
    expect(new Date(summary.gaps[0].firstMissingOpenTime).toISOString()).toBe("2023-03-24T13:00:00.000Z");
    const outage = await pool.query(`SELECT open, volume FROM bar WHERE open_time = '2023-03-24T12:00:00Z'`);
    expect(outage.rows[0]).toEqual({ open: 28080, volume: 0 });
  });

  it("does not count EURUSD weekend closures as gaps under the weekdays calendar, but does count missing trading hours", async () => {
    const file = path.join(SHARED_DATA_DIR, "EURUSD-1h.csv");
    const alwaysOpen = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "EURUSD", timeframe: Timeframe.H1, calendar: parseCalendarPreset("always"), skipInvalid: false });
    const weekdays = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "EURUSD", timeframe: Timeframe.H1, calendar: parseCalendarPreset("weekdays"), skipInvalid: false });
    // SOURCES.md: 378 weekend closures. Left under "weekdays": 15 holiday / early-close gaps and 26 single
    // Friday 23:00 hours in the weeks when US and EU daylight saving disagree (the broker's close moves).
    expect(alwaysOpen.gaps.length).toBe(378 + 12); // every jump, as SOURCES.md counts them
    expect(weekdays.gaps.length).toBe(41);
    expect(weekdays.missingBars).toBe(334);
    for (const gap of weekdays.gaps) {
      const day = new Date(gap.firstMissingOpenTime).getUTCDay();
      expect(day === 0 || day === 6).toBe(false);
    }
  });

  it("skips holidays: SPY 1d under the NYSE calendar has no gap, and the report lists the 194 closed days it skipped", async () => {
    const file = path.join(SHARED_DATA_DIR, "SPY-1d.csv");
    const weekdays = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "SPY", timeframe: Timeframe.D1, calendar: parseCalendarPreset("weekdays"), skipInvalid: false });
    expect(weekdays.gaps.length).toBe(189); // SOURCES.md: 189 longer closures, all holidays and 9/11 to a weekdays-only calendar
    const nyse = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "SPY", timeframe: Timeframe.D1, calendar: parseCalendarPreset("nyse"), skipInvalid: false });
    expect(nyse.gaps).toEqual([]);
    // The 189 gaps of the weekdays calendar span 194 closed days: 9/11 (4 days), Sandy (2), Jan 1 + Ford's mourning day (2).
    expect(nyse.skippedClosures).toHaveLength(194);
    expect(nyse.skippedClosures).toContainEqual({ date: "2001-09-11", reason: "NYSE closed: September 11 attacks" });
    expect(nyse.skippedClosures).toContainEqual({ date: "2004-06-11", reason: "NYSE closed: national day of mourning for President Reagan" });
    expect(nyse.skippedClosures).toContainEqual({ date: "2019-11-28", reason: "NYSE holiday: Thanksgiving Day" });
  });

  it("keeps a true data hole a gap while the FX year-end closures are skipped (EURUSD 1d, fx-broker)", async () => {
    const file = path.join(SHARED_DATA_DIR, "EURUSD-1d.csv");
    const summary = await importCsvFile(postgresBarImportStore(pool), { file, symbol: "EURUSD", timeframe: Timeframe.D1, calendar: parseCalendarPreset("fx-broker"), skipInvalid: false });
    // SOURCES.md: 23 holiday closures (Dec 25 / Jan 1) and 1 data hole, 2009-10-01.
    expect(summary.gaps.map((gap) => new Date(gap.firstMissingOpenTime).toISOString().slice(0, 10))).toEqual(["2009-10-01"]);
    expect(summary.skippedClosures.length).toBe(23);
  });

  it("refuses hourly rows imported as 1m before writing anything; the 1m bars already stored stay as they were", async () => {
    const minutes = path.join(SHARED_DATA_DIR, "BTCUSDT-1m.csv");
    await importCsvFile(postgresBarImportStore(pool), { file: minutes, symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false });
    const before = await storedBars("BTCUSDT");
    const mistake = importCsvFile(postgresBarImportStore(pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.M1, skipInvalid: false });
    await expect(mistake).rejects.toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringMatching(/does not fit --timeframe 1m: .*these look like 1h bars, not 1m/) });
    expect(await storedBars("BTCUSDT")).toEqual(before);
    // Sparse 1m bars are imported when the caller vouches for them.
    const sparse = files.write("sparse.csv", [HEADER, "2020-01-01T00:00:00Z,1,2,1,1.5,1", "2020-01-01T01:00:00Z,1,2,1,1.5,1", "2020-01-01T02:00:00Z,1,2,1,1.5,1"].join("\n"));
    expect((await importCsvFile(postgresBarImportStore(pool), { file: sparse, symbol: "SPARSE", timeframe: Timeframe.M1, skipInvalid: false, trustTimeframe: true })).inserted).toBe(3);
  });

  it("imports and reports bars outside the trading sessions (EURUSD 1d: a 1-tick New Year's Day 2007 and the stray Saturday 2012-12-01)", async () => {
    const summary = await importCsvFile(postgresBarImportStore(pool), { file: path.join(SHARED_DATA_DIR, "EURUSD-1d.csv"), symbol: "EURUSD", timeframe: Timeframe.D1, calendar: parseCalendarPreset("fx-broker"), skipInvalid: false });
    expect(summary.outOfSession).toBe(2);
    expect(summary.outOfSessionRows.map((row) => new Date(row.openTime).toISOString())).toEqual(["2007-01-01T00:00:00.000Z", "2012-12-01T00:00:00.000Z"]);
    expect(summary.inserted).toBe(4411);
  });

  it("deletes a range (dry run first), with the stored feature values from its first bar on, and raises the revision", async () => {
    await importCsvFile(postgresBarImportStore(pool), { file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    await pool.query(`INSERT INTO feature_definition (name, version, indicator, indicator_version, parameters, output, fingerprint) VALUES ('f', 1, 'sma', 1, '{"period": 20}', 'value', 'x')`);
    const feature = (await pool.query("SELECT id FROM feature_definition WHERE name = 'f'")).rows[0].id;
    await pool.query(`INSERT INTO feature_materialization (feature_id, symbol, timeframe, through_open_time) VALUES ($1, 'BTCUSDT', '1h', '2025-05-05T23:00:00Z')`, [feature]);
    const store = new BarDeletionRepository(pool);
    const range = { from: Date.parse("2025-01-01T00:00:00Z"), to: Date.parse("2025-12-31T23:00:00Z") };
    const dryRun = await store.deleteBars("BTCUSDT", Timeframe.H1, range, true);
    expect(dryRun).toEqual({ bars: 3000, firstOpenTime: Date.parse("2025-01-01T00:00:00Z"), lastOpenTime: Date.parse("2025-05-05T23:00:00Z") });
    expect((await storedBars("BTCUSDT", "1h")).length).toBe(29_303);
    const deleted = await store.deleteBars("BTCUSDT", Timeframe.H1, range, false);
    expect(deleted.bars).toBe(3000);
    expect((await storedBars("BTCUSDT", "1h")).length).toBe(29_303 - 3000);
    expect((await pool.query("SELECT count(*)::int AS n FROM feature_materialization")).rows[0].n).toBe(0);
    expect((await pool.query("SELECT revision FROM series_state WHERE symbol = 'BTCUSDT' AND timeframe = '1h'")).rows[0].revision).toBeGreaterThanOrEqual(1);
  });

  it("fails before writing anything when the file does not exist", async () => {
    await expect(
      importCsvFile(postgresBarImportStore(pool), { file: "/nonexistent/file.csv", symbol: "NONE", timeframe: Timeframe.M1, skipInvalid: false }),
    ).rejects.toThrow(/ENOENT/);
    expect((await pool.query("SELECT count(*)::int AS n FROM instrument")).rows[0].n).toBe(0);
  });
});
