/**
 * TA-Lib's own published regression values (src/tools/ta_regtest, BSD-3-Clause): expected outputs for its
 * 252-bar daily_ref_0 input at given rows, with the tables' rounding tolerance. Independent of the talib
 * package: a check against published numbers rather than against any code we run. Runs for every
 * indicator whose TA-Lib reference names a function of the table (`reference.regtest`).
 */
import * as fs from "fs";
import * as path from "path";
import type { GivenParameters, IndicatorDefinition } from "../../../src/indicators/indicator";
import { resolveParameters } from "../../../src/indicators/parameters";
import { ReferenceKind, type RegtestReference } from "../../../src/indicators/reference";
import { INDICATORS } from "../../../src/indicators/registry";
import { SHARED_DATA_DIR, loadSeries } from "../../support/market-data";

/** One row of the table. */
interface Expectation {
  readonly fn: string;
  readonly params: string;
  readonly output: string;
  readonly row: number;
  readonly expected: number;
  readonly tolerance: number;
}

/** The indicators that name a function of the table, by that function. */
const REGTESTED: ReadonlyMap<string, { indicator: IndicatorDefinition; regtest: RegtestReference }> = new Map(
  INDICATORS.flatMap((indicator) =>
    indicator.reference.kind === ReferenceKind.TALIB && indicator.reference.regtest
      ? [[indicator.reference.regtest.function, { indicator, regtest: indicator.reference.regtest }] as const]
      : [],
  ),
);

/** A table value: a number, optionally followed by a moving-average type in parentheses, e.g. "3(SMA)". */
const VALUE = /^(-?\d+(?:\.\d+)?)(?:\((\w+)\))?$/;

/**
 * Our parameters for a row's parameter string (e.g. `fastK=5 slowK=3(SMA) slowD=3(SMA)`), as the indicator's
 * regtest reference maps them.
 * @throws Error for a row the indicator does not implement: an unmapped key, a moving-average type other
 *   than the declared one, or two keys of one parameter with different values
 */
function givenParameters(regtest: RegtestReference, text: string): GivenParameters {
  const given: Record<string, number> = {};
  for (const pair of text.split(" ")) {
    const [key, raw] = pair.split("=");
    if (key === "maType") {
      if (raw !== regtest.movingAverage) throw new Error(`unsupported ${regtest.function} row "${text}": maType ${raw}`);
      continue;
    }
    const parameter = regtest.parameters[key];
    const match = VALUE.exec(raw);
    if (parameter === undefined || !match) throw new Error(`unsupported ${regtest.function} row "${text}": ${pair}`);
    if (match[2] !== undefined && match[2] !== regtest.movingAverage) throw new Error(`unsupported ${regtest.function} row "${text}": ${pair}`);
    const value = Number(match[1]);
    if (parameter in given && given[parameter] !== value) throw new Error(`unsupported ${regtest.function} row "${text}": ${parameter} differs`);
    given[parameter] = value;
  }
  return given;
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
    .filter((expectation) => REGTESTED.has(expectation.fn));
}

describe("TA-Lib regression table (daily_ref_0)", () => {
  const columns = loadSeries("oracle/ta-lib-regtest/daily_ref_0.csv");
  const expectations = loadExpectations();

  it("has rows for every function an indicator names, and the 252-bar input", () => {
    expect(new Set(expectations.map((e) => e.fn))).toEqual(new Set(REGTESTED.keys()));
    expect(columns.length).toBe(252);
  });

  it.each(expectations.map((e) => ({ ...e, label: `${e.fn} ${e.params} ${e.output}[${e.row}] = ${e.expected}` })))(
    "$label within $tolerance",
    ({ fn, params, output, row, expected, tolerance }) => {
      const { indicator, regtest } = REGTESTED.get(fn)!;
      const parameters = resolveParameters(indicator, givenParameters(regtest, params));
      const outputIndex = regtest.outputs.indexOf(output);
      expect(`${fn} output ${output} found: ${outputIndex >= 0}`).toBe(`${fn} output ${output} found: true`);
      const actual = indicator.computeBatch(parameters, columns)[outputIndex][row];
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
    },
  );
});
