/**
 * TA-Lib's own published regression values (src/tools/ta_regtest, BSD-3-Clause): expected outputs for its
 * 252-bar daily_ref_0 input at given rows, with the tables' rounding tolerance. Independent of the talib
 * package: a check against published numbers rather than against any code we run.
 */
import * as fs from "fs";
import * as path from "path";
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";
import { SHARED_DATA_DIR, loadSeries } from "../../support/market-data";

interface Expectation {
  readonly fn: string;
  readonly params: string;
  readonly output: string;
  readonly row: number;
  readonly expected: number;
  readonly tolerance: number;
}

/** TA-Lib function names we implement, with how their regtest parameter strings map to ours. */
const FUNCTIONS: Readonly<Record<string, { id: string; parameters: (p: Record<string, string>) => Record<string, number> }>> = {
  SMA: { id: "sma", parameters: (p) => ({ period: Number(p.timePeriod) }) },
  WMA: { id: "wma", parameters: (p) => ({ period: Number(p.timePeriod) }) },
  EMA: { id: "ema", parameters: (p) => ({ period: Number(p.timePeriod) }) },
  RSI: { id: "rsi", parameters: (p) => ({ period: Number(p.timePeriod) }) },
  MACD: {
    id: "macd",
    parameters: (p) => ({ fastPeriod: Number(p.fast), slowPeriod: Number(p.slow), signalPeriod: Number(p.signal) }),
  },
  BBANDS: {
    id: "bbands",
    parameters: (p) => {
      if (p.maType !== "SMA" || p.nbDevUp !== p.nbDevDn) throw new Error(`unsupported BBANDS case ${JSON.stringify(p)}`);
      return { period: Number(p.timePeriod), standardDeviations: Number(p.nbDevUp) };
    },
  },
  STOCH: {
    id: "stoch",
    parameters: (p) => ({
      fastKPeriod: Number(p.fastK),
      slowKPeriod: Number(p.slowK.replace("(SMA)", "")),
      slowDPeriod: Number(p.slowD.replace("(SMA)", "")),
    }),
  },
};

/** TA-Lib's output names in the table mapped to ours. */
const OUTPUTS: Readonly<Record<string, string>> = { real: "value", hist: "histogram" };

function parseParameters(text: string): Record<string, string> {
  return Object.fromEntries(text.split(" ").map((pair) => pair.split("=") as [string, string]));
}

function loadExpectations(): Expectation[] {
  const file = path.join(SHARED_DATA_DIR, "oracle/ta-lib-regtest/expected.csv");
  const [header, ...lines] = fs.readFileSync(file, "utf8").trim().split(/\r?\n/);
  expect(header).toBe("function,params,output,bar_idx,expected,abs_tolerance,source_file");
  return lines
    .map((line) => line.split(","))
    .map(([fn, params, output, row, expected, tolerance]) => ({
      fn,
      params,
      output,
      row: Number(row),
      expected: Number(expected),
      tolerance: Number(tolerance),
    }))
    .filter((expectation) => expectation.fn in FUNCTIONS);
}

describe("TA-Lib regression table (daily_ref_0)", () => {
  const columns = loadSeries("oracle/ta-lib-regtest/daily_ref_0.csv");
  const expectations = loadExpectations();

  it("covers all seven implemented functions of the table", () => {
    expect(new Set(expectations.map((e) => e.fn))).toEqual(new Set(Object.keys(FUNCTIONS)));
    expect(columns.length).toBe(252);
  });

  it.each(expectations.map((e) => ({ ...e, label: `${e.fn} ${e.params} ${e.output}[${e.row}] = ${e.expected}` })))(
    "$label within $tolerance",
    ({ fn, params, output, row, expected, tolerance }) => {
      const { id, parameters } = FUNCTIONS[fn];
      const indicator = getIndicator(id);
      const resolved = resolveParameters(indicator, parameters(parseParameters(params)));
      const outputIndex = indicator.outputs.findIndex((o) => o.name === (OUTPUTS[output] ?? output));
      expect(outputIndex).toBeGreaterThanOrEqual(0);
      const actual = indicator.computeBatch(resolved, columns)[outputIndex][row];
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
    },
  );
});
