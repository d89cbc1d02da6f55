/**
 * Train/serve parity at the indicator level: feeding the bars one at a time through `createStream` gives
 * exactly (Object.is, so NaN and -0 included) the values `computeBatch` gives, on every row, for every
 * indicator, output and parameter set. The batch loops are written separately for speed, so this is the
 * proof that they do the same arithmetic.
 */
import { barAt, type BarColumns } from "../../../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters } from "../../../src/indicators/indicator";
import type { SeriesContext } from "../../../src/indicators/series-context";
import { resolveParameters } from "../../../src/indicators/parameters";
import { TEST_SERIES, loadSeries, sliceSeries } from "../../support/market-data";
import { casesOf } from "./registry-cases";
import { contextOf } from "./series-contexts";

/** Runs a stream over all bars; returns one column per output. */
function streamColumns(indicator: IndicatorDefinition, parameters: IndicatorParameters, columns: BarColumns, context: SeriesContext): Float64Array[] {
  const stream = indicator.createStream(parameters, context);
  const outputs = indicator.outputs.map(() => new Float64Array(columns.length));
  for (let row = 0; row < columns.length; row++) {
    const values = stream.update(barAt(columns, row));
    // A plain check: a jest expect per row would dominate the run time.
    if (values.length !== indicator.outputs.length) throw new Error(`row ${row}: ${values.length} outputs`);
    for (let output = 0; output < outputs.length; output++) outputs[output][row] = values[output];
  }
  expect(stream.count).toBe(columns.length);
  return outputs;
}

/** "none", or where and how stream and batch first differ. */
function firstDifference(indicator: IndicatorDefinition, batch: Float64Array[], stream: Float64Array[]): string {
  for (let output = 0; output < batch.length; output++) {
    const row = batch[output].findIndex((value, index) => !Object.is(value, stream[output][index]));
    if (row >= 0) return `${indicator.outputs[output].name}[${row}]: batch ${batch[output][row]}, stream ${stream[output][row]}`;
  }
  return "none";
}

const cases = casesOf();

describe.each(TEST_SERIES)("streaming equals batch on %s", (fileName) => {
  const columns = loadSeries(fileName);
  const context = contextOf(fileName);

  it.each(cases)("$label: every output identical on every row", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const batch = indicator.computeBatch(parameters, columns, context);
    expect(firstDifference(indicator, batch, streamColumns(indicator, parameters, columns, context))).toBe("none");
  });
});

describe("streaming equals batch on series shorter than the lookback", () => {
  const columns = loadSeries("SPY-1d.csv");
  const context = contextOf("SPY-1d.csv");

  it.each(cases)("$label: identical for 0 .. lookback + 2 bars", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const lookback = indicator.lookback(parameters);
    for (const length of new Set([0, 1, 2, lookback - 1, lookback, lookback + 1, lookback + 2].filter((n) => n >= 0))) {
      const short = sliceSeries(columns, 0, length);
      const batch = indicator.computeBatch(parameters, short, context);
      batch.forEach((column) => expect(column).toHaveLength(length));
      expect(firstDifference(indicator, batch, streamColumns(indicator, parameters, short, context))).toBe("none");
    }
  });
});
