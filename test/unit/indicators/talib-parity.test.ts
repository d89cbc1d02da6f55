/**
 * Every indicator that declares a TA-Lib reference, every output, on real series and every declared
 * parameter set, against the native TA-Lib of the `talib` npm package: same lookback, NaN before it, and
 * within 1e-9 relative after it.
 *
 * Tolerance: |ours - talib| <= 1e-9 * max(1, |talib|). Relative for values above 1 (prices, volumes,
 * percent), absolute 1e-9 below (oscillator values near 0, MACD lines crossing 0, FX prices' small
 * differences), where a pure relative test would demand more digits than the inputs carry. In practice the
 * implementations use TA-Lib's operation order and agree bit for bit; the second test pins that down.
 */
import { resolveParameters } from "../../../src/indicators/parameters";
import { ReferenceKind } from "../../../src/indicators/reference";
import { INDICATORS } from "../../../src/indicators/registry";
import { TEST_SERIES, loadSeries } from "../../support/market-data";
import { talibReference } from "../../support/talib-reference";
import { casesOf } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";

const RELATIVE_TOLERANCE = 1e-9;

/** Index of the first row where `actual` and `expected` disagree beyond tolerance (NaN must match NaN), or -1. */
function firstMismatch(actual: Float64Array, expected: Float64Array): number {
  for (let row = 0; row < expected.length; row++) {
    const a = actual[row];
    const b = expected[row];
    if (Number.isNaN(b) || Number.isNaN(a)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return row;
      continue;
    }
    if (!(Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(b)))) return row;
  }
  return -1;
}

const cases = casesOf(INDICATORS.filter((indicator) => indicator.reference.kind === ReferenceKind.TALIB));

describe.each(TEST_SERIES)("indicators on %s match TA-Lib", (fileName) => {
  const columns = loadSeries(fileName);
  const context = contextOf(fileName);

  it.each(cases)("$label: lookback equals TA-Lib's begIndex, NaN before it, every output within 1e-9 after it", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const reference = talibReference(indicator, parameters, columns);
    expect(indicator.lookback(parameters)).toBe(reference.begIndex);

    const outputs = indicator.computeBatch(parameters, columns, context);
    expect(outputs).toHaveLength(indicator.outputs.length);
    indicator.outputs.forEach((output, index) => {
      const mismatch = firstMismatch(outputs[index], reference.outputs[index]);
      const detail =
        mismatch < 0 ? "none" : `${output.name}[${mismatch}] = ${outputs[index][mismatch]}, TA-Lib ${reference.outputs[index][mismatch]}`;
      expect(detail).toBe("none");
    });
  });

  it("bit-identical to TA-Lib for every indicator and parameter set (same operation order), but those that say why not", () => {
    for (const { indicator, given, label } of cases) {
      if (indicator.reference.kind === ReferenceKind.TALIB && indicator.reference.lastBitsDiffer !== undefined) continue;
      const parameters = resolveParameters(indicator, given);
      const reference = talibReference(indicator, parameters, columns);
      const outputs = indicator.computeBatch(parameters, columns, context);
      indicator.outputs.forEach((output, index) => {
        const differing = outputs[index].findIndex((value, row) => !Object.is(value, reference.outputs[index][row]));
        expect(`${label} ${output.name}: first differing row ${differing}`).toBe(`${label} ${output.name}: first differing row -1`);
      });
    }
  });
});
