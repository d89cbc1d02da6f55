import { Timeframe } from "../../../src/domain/timeframe";
import { TimeframeFit } from "../../../src/domain/timeframe-fit";
import { loadSeries } from "../../support/market-data";

function mismatchOf(openTimes: ArrayLike<number>, timeframe: Timeframe): string | undefined {
  const fit = new TimeframeFit(timeframe);
  for (let row = 0; row < openTimes.length; row++) fit.observe(openTimes[row]);
  return fit.mismatch();
}

describe("TimeframeFit: do a file's open times fit the timeframe it is imported as?", () => {
  it("refuses hourly bars imported as 1m, naming the timeframe they look like", () => {
    expect(mismatchOf(loadSeries("BTCUSDT-1h.csv").openTime, Timeframe.M1)).toMatch(/^all 29303 open times fall on the 1h grid and no two rows are closer than 1h: these look like 1h bars, not 1m\. Import them with --timeframe 1h/);
    expect(mismatchOf(loadSeries("SPY-1d.csv").openTime, Timeframe.H1)).toMatch(/these look like 1d bars, not 1h/);
  });

  it("accepts real series, gaps and all, at their own timeframe", () => {
    expect(mismatchOf(loadSeries("BTCUSDT-1m-2021-04.csv").openTime, Timeframe.M1)).toBeUndefined(); // two maintenance gaps
    expect(mismatchOf(loadSeries("EURUSD-1h.csv").openTime, Timeframe.H1)).toBeUndefined();
    expect(mismatchOf(loadSeries("BTCUSDT-1h.csv").openTime, Timeframe.H1)).toBeUndefined();
  });

  it("does not judge one or two rows, and accepts 1m rows that happen to sit on the hour but come closer", () => {
    const hour = 3_600_000;
    expect(mismatchOf([0, hour], Timeframe.M1)).toBeUndefined();
    expect(mismatchOf([0, hour, 2 * hour, 2 * hour + 60_000], Timeframe.M1)).toBeUndefined();
  });
});
