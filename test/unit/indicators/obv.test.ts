/**
 * OBV's own property behind its infinite warm-up (the generic checks are in warmup.test.ts): a later start
 * shifts every later value by one constant, so changes of OBV over a range do not depend on the start.
 */
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";
import { loadSeries, sliceSeries } from "../../support/market-data";

describe("obv", () => {
  it("a later start shifts every value by a constant", () => {
    const obv = getIndicator("obv");
    const columns = loadSeries("BTCUSDT-1h.csv");
    const parameters = resolveParameters(obv, {});
    const full = obv.computeBatch(parameters, columns)[0];
    const start = 1000;
    const suffix = obv.computeBatch(parameters, sliceSeries(columns, start))[0];
    const offset = suffix[0] - full[start];
    expect(offset).not.toBe(0);
    for (let row = start; row < columns.length; row += 97) {
      expect(Math.abs(suffix[row - start] - full[row] - offset)).toBeLessThanOrEqual(1e-9 * Math.abs(full[row]) + 1e-6);
    }
  });
});
