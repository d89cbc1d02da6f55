import { Bar } from "../../../src/domain/bar";
import { validateBar } from "../../../src/domain/bar-validation";
import { Timeframe } from "../../../src/domain/timeframe";

const valid: Bar = { openTime: Date.parse("2024-01-01T00:00:00Z"), open: 10, high: 12, low: 9, close: 11, volume: 5 };

describe("validateBar", () => {
  it("accepts a consistent bar on the grid, including a flat bar with zero volume", () => {
    expect(validateBar(valid, Timeframe.D1)).toBeNull();
    expect(validateBar({ ...valid, open: 7, high: 7, low: 7, close: 7, volume: 0 }, Timeframe.M1)).toBeNull();
  });

  it.each<[Partial<Bar>, Timeframe, string]>([
    [
      { openTime: Date.parse("2024-01-01T00:00:30Z") },
      Timeframe.M1,
      "open time 2024-01-01T00:00:30Z is not on the 1m grid; bars must start on the UTC grid of their timeframe",
    ],
    [{ openTime: Date.parse("2024-01-01T01:00:00Z") }, Timeframe.H4, "open time 2024-01-01T01:00:00Z is not on the 4h grid"],
    [{ openTime: Date.parse("2024-01-01T00:00:00.250Z") }, Timeframe.M1, "open time 2024-01-01T00:00:00.250Z"],
    [{ high: Number.NaN }, Timeframe.M1, "high NaN is not a finite number"],
    [{ volume: Number.POSITIVE_INFINITY }, Timeframe.M1, "volume Infinity is not a finite number"],
    [{ open: 0, low: 0 }, Timeframe.M1, "open 0 must be greater than 0"],
    [{ low: -1 }, Timeframe.M1, "low -1 must be greater than 0"],
    [{ high: 8, low: 9, open: 8.5, close: 8.5 }, Timeframe.M1, "high 8 is below low 9"],
    [{ high: 10.5 }, Timeframe.M1, "high 10.5 is below max(open 10, close 11)"],
    [{ low: 10.5 }, Timeframe.M1, "low 10.5 is above min(open 10, close 11)"],
    [{ volume: -0.1 }, Timeframe.M1, "volume -0.1 is negative"],
  ])("rejects %p on %s", (change, timeframe, reason) => {
    expect(validateBar({ ...valid, ...change }, timeframe)).toContain(reason);
  });
});
