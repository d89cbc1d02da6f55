/**
 * Session VWAP (src/indicators/vwap.ts) beyond the shared tests: talipp's VWAP anchored daily with hlc3 on a month of
 * real BTCUSDT 1h bars (shared/data/oracle/quantedge-ta, computed by talipp, 10 decimals), the context it needs, the
 * zero-volume rule and the session resets on each preset calendar.
 */
import * as fs from "fs";
import * as path from "path";
import { barAt } from "../../../src/domain/bar";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN, CALENDAR_PRESETS, sessionStart } from "../../../src/domain/trading-calendar";
import { resolveParameters } from "../../../src/indicators/parameters";
import { vwap } from "../../../src/indicators/vwap";
import { SHARED_DATA_DIR, loadSeries } from "../../support/market-data";

const parameters = resolveParameters(vwap, {});
const crypto = { timeframe: Timeframe.H1, calendar: ALWAYS_OPEN };

describe("vwap", () => {
  it("matches talipp's daily-anchored hlc3 VWAP on BTCUSDT 1h, January 2025, within 1e-9 relative on all 744 rows", () => {
    const bars = loadSeries("oracle/quantedge-ta/BTCUSDT-1h-2025-01.csv");
    const lines = fs.readFileSync(path.join(SHARED_DATA_DIR, "oracle/quantedge-ta/vwap-day-hlc3.csv"), "utf8").trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(bars.length);
    const [values] = vwap.computeBatch(parameters, bars, crypto);
    let worst = 0;
    lines.forEach((line, row) => {
      const [ts, expected] = line.split(",");
      expect(Date.parse(ts)).toBe(bars.openTime[row]);
      worst = Math.max(worst, Math.abs(values[row] - Number(expected)) / Math.abs(Number(expected)));
    });
    expect(worst).toBeLessThan(1e-9);
  });

  it("throws an Error naming the SeriesContext when it is missing", () => {
    const bars = loadSeries("BTCUSDT-1h.csv");
    expect(() => vwap.computeBatch(parameters, bars)).toThrow(/SeriesContext/);
    expect(() => vwap.computeBatchInto(parameters, bars, [new Float64Array(bars.length)])).toThrow(/SeriesContext/);
    expect(() => vwap.createStream(parameters)).toThrow(/SeriesContext/);
  });

  it("gives the bar's typical price while the session has no volume, and ignores zero-volume bars after", () => {
    const day = Date.parse("2025-01-02T00:00:00Z");
    const bar = (hours: number, volume: number, price: number) => ({ openTime: day + hours * 3_600_000, open: price, high: price + 1, low: price - 1, close: price, volume });
    const stream = vwap.createStream(parameters, crypto);
    expect(stream.update(bar(0, 0, 10))[0]).toBe(10);
    expect(stream.update(bar(1, 0, 13))[0]).toBe(13);
    expect(stream.update(bar(2, 2, 16))[0]).toBe(16);
    expect(stream.update(bar(3, 0, 40))[0]).toBe(16);
    expect(stream.update(bar(4, 2, 20))[0]).toBe(18);
  });

  it.each([
    ["always", "BTCUSDT-1h.csv"],
    ["weekdays", "EURUSD-1h.csv"],
    ["fx", "EURUSD-1h.csv"],
  ] as const)("resets at each session open of the %s calendar on %s: every value is its session's own VWAP", (preset, file) => {
    const bars = loadSeries(file);
    const calendar = CALENDAR_PRESETS[preset].calendar;
    const [values] = vwap.computeBatch(parameters, bars, { timeframe: Timeframe.H1, calendar });
    const rows = Math.min(bars.length, 3000);
    let first = 0;
    for (let row = 0; row < rows; row++) {
      if (row > 0 && sessionStart(calendar, bars.openTime[row]) !== sessionStart(calendar, bars.openTime[row - 1])) first = row;
      let priceVolume = 0;
      let volume = 0;
      for (let j = first; j <= row; j++) {
        const bar = barAt(bars, j);
        priceVolume += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
        volume += bar.volume;
      }
      expect(Math.abs(values[row] - priceVolume / volume)).toBeLessThanOrEqual(1e-12 * values[row]);
    }
  });
});
