import { Timeframe } from "../../../src/domain/timeframe";
import { isTradingSlot, parseCalendarPreset } from "../../../src/domain/trading-calendar";
import { tradingSlotChecker } from "../../../src/domain/trading-slots";
import { loadSeries } from "../../support/market-data";

describe("tradingSlotChecker", () => {
  it.each(["fx", "fx-broker", "nyse", "always"])("answers as isTradingSlot for every EURUSD 1h bar and every hour between, under %s", (preset) => {
    const calendar = parseCalendarPreset(preset);
    const check = tradingSlotChecker(calendar, Timeframe.H1);
    const openTimes = loadSeries("EURUSD-1h.csv").openTime.subarray(0, 6_000);
    const hour = 3_600_000;
    let disagreements = 0;
    let closed = 0;
    for (let time = openTimes[0]; time <= openTimes[openTimes.length - 1]; time += hour) {
      const expected = isTradingSlot(calendar, time, time + hour);
      if (!expected) closed++;
      if (check(time) !== expected) disagreements++;
    }
    expect(disagreements).toBe(0);
    if (preset !== "always") expect(closed).toBeGreaterThan(500); // weekends and holidays were checked too
  });
});
