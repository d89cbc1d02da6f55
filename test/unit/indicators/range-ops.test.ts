/**
 * ARP and range shock (src/indicators/arp.ts, rangeshock.ts) beyond the shared tests: the range shock's undefined value
 * over a flat window, exactly recognised after ranges have come and gone, and both against a direct recomputation on
 * real bars.
 */
import { allocateBarColumns, barAt } from "../../../src/domain/bar";
import { arp } from "../../../src/indicators/arp";
import { resolveParameters } from "../../../src/indicators/parameters";
import { rangeshock } from "../../../src/indicators/rangeshock";
import { loadSeries } from "../../support/market-data";

/** Columns of bars with these highs and lows (close halfway). */
function barsOf(highs: readonly number[], lows: readonly number[]) {
  const columns = allocateBarColumns(highs.length);
  highs.forEach((high, row) => {
    columns.openTime[row] = row * 60_000;
    columns.high[row] = high;
    columns.low[row] = lows[row];
    columns.close[row] = (high + lows[row]) / 2;
  });
  return columns;
}

describe("rangeshock", () => {
  it("is NaN while the mean range of the window is 0, and the ratio again once a range is in it (worked by hand)", () => {
    // Period 2: rows 2 and 3 average two flat bars (0); row 4 averages 0 and 0.6, so 0.3 / 0.3 = 1.
    const columns = barsOf([10, 10, 10, 10.5, 10.4], [10, 10, 10, 9.9, 10.1]);
    const [values] = rangeshock.computeBatch(resolveParameters(rangeshock, { period: 2 }), columns);
    expect(Array.from(values.subarray(0, 4))).toEqual([NaN, NaN, NaN, NaN]);
    expect(values[4]).toBeCloseTo(1, 12);
  });

  it("recognises a flat window exactly after wide ranges left it (no running-sum residue)", () => {
    const highs = [10.3, 10.7, 10.1, 10, 10, 10, 10.2];
    const lows = [10.1, 10.0, 9.95, 10, 10, 10, 10];
    const parameters = resolveParameters(rangeshock, { period: 3 });
    const [values] = rangeshock.computeBatch(parameters, barsOf(highs, lows));
    // Row 6: rows 3..5 are flat.
    expect(values[6]).toBeNaN();
    const stream = rangeshock.createStream(parameters);
    const columns = barsOf(highs, lows);
    const streamed = highs.map((_high, row) => stream.update(barAt(columns, row))[0]);
    expect(streamed.map((value, row) => Object.is(value, values[row]))).toEqual(highs.map(() => true));
  });

  it("equals range / mean of the previous ranges recomputed directly on BTCUSDT 1h (1e-9 relative)", () => {
    const bars = loadSeries("BTCUSDT-1h.csv");
    const period = 20;
    const [values] = rangeshock.computeBatch(resolveParameters(rangeshock, { period }), bars);
    for (let row = period; row < 5_000; row++) {
      let sum = 0;
      for (let j = row - period; j < row; j++) sum += bars.high[j] - bars.low[j];
      const expected = (bars.high[row] - bars.low[row]) / (sum / period);
      expect(Math.abs(values[row] - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
    }
  });
});

describe("arp", () => {
  it("equals the mean of (high - low) / close × 100 recomputed directly on EURUSD 1h (1e-9 relative)", () => {
    const bars = loadSeries("EURUSD-1h.csv");
    const period = 14;
    const [values] = arp.computeBatch(resolveParameters(arp, {}), bars);
    for (let row = period - 1; row < 5_000; row++) {
      let sum = 0;
      for (let j = row - period + 1; j <= row; j++) sum += ((bars.high[j] - bars.low[j]) / bars.close[j]) * 100;
      expect(Math.abs(values[row] - sum / period)).toBeLessThanOrEqual(1e-9 * (sum / period));
    }
  });
});
