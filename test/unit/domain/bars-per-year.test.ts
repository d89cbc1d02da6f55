import { barsPerYear } from "../../../src/domain/bars-per-year";
import { Timeframe } from "../../../src/domain/timeframe";
import { ALWAYS_OPEN, CALENDAR_PRESETS } from "../../../src/domain/trading-calendar";

describe("barsPerYear", () => {
  it("counts 365.25 days and 8,766 hours a year for an always-open market", () => {
    expect(barsPerYear(ALWAYS_OPEN, Timeframe.D1)).toBe(365.25);
    expect(barsPerYear(ALWAYS_OPEN, Timeframe.H1)).toBe(8_766);
  });

  it("counts NYSE's published trading days 2021-2024 (252, 251, 250, 252): 251.25 a year", () => {
    expect(barsPerYear(CALENDAR_PRESETS.nyse.calendar, Timeframe.D1)).toBe(251.25);
  });

  it("counts weekdays without holidays: 1,043 in 2021-2024 (Python datetime), 260.75 a year", () => {
    expect(barsPerYear(CALENDAR_PRESETS.weekdays.calendar, Timeframe.D1)).toBe(260.75);
  });
});
