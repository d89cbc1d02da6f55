import { expandWindows, MAX_WINDOWS, windowRegistrations } from "../../../src/features/indicator-windows";

describe("expandWindows", () => {
  it("gives one spec per window, in the list's order, with period set and the other parameters kept", () => {
    expect(expandWindows({ indicator: "bbands", parameters: { standardDeviations: 2.5 } }, [50, 20])).toEqual([
      { indicator: "bbands", parameters: { standardDeviations: 2.5, period: 50 } },
      { indicator: "bbands", parameters: { standardDeviations: 2.5, period: 20 } },
    ]);
  });

  it.each([
    [{ indicator: "macd", parameters: {} }, [5, 10], 'Indicator "macd" has no "period" parameter to take windows (its parameters: fastPeriod, slowPeriod, signalPeriod)'],
    [{ indicator: "sma", parameters: { period: 20 } }, [50], 'Give "period" either as a parameter or as `windows`, not both'],
    [{ indicator: "sma", parameters: {} }, [], "`windows` must list 1 to 20 periods, got 0"],
    [{ indicator: "sma", parameters: {} }, Array.from({ length: MAX_WINDOWS + 1 }, (_, index) => index + 2), "`windows` must list 1 to 20 periods, got 21"],
    [{ indicator: "sma", parameters: {} }, [20, 50, 20], "`windows` lists 20 twice"],
  ])("refuses %j with windows %j", (spec, windows, message) => {
    expect(() => expandWindows(spec, windows)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", message: expect.stringContaining(message) }));
  });

  it("names registrations <name>_<window>", () => {
    expect(windowRegistrations({ name: "sma_trend", indicator: "sma", parameters: {} as Record<string, number> }, [20, 200]).map(({ name, parameters }) => [name, parameters.period])).toEqual([
      ["sma_trend_20", 20],
      ["sma_trend_200", 200],
    ]);
  });
});
