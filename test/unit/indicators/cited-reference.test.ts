/**
 * Every indicator that declares a cited reference (a published definition TA-Lib lacks) against the
 * worked examples its module declares, whose values were computed independently of the implementation:
 * lookback = the first defined row of each example, undefined (NaN) before it, every output within 1e-9
 * relative to max(1, |expected|) from it on, in batch and in streaming form.
 */
import { allocateBarColumns, barAt, type BarColumns } from "../../../src/domain/bar";
import { resolveParameters } from "../../../src/indicators/parameters";
import { ReferenceKind, type CitedCase } from "../../../src/indicators/reference";
import { INDICATORS } from "../../../src/indicators/registry";

const RELATIVE_TOLERANCE = 1e-9;

/** The example's bars as columns; fields an example leaves out are NaN, so reading them shows as a mismatch. */
function columnsOf(example: CitedCase): BarColumns {
  const columns = allocateBarColumns(example.bars.length);
  example.bars.forEach((bar, row) => {
    columns.openTime[row] = bar.openTime ?? NaN;
    columns.open[row] = bar.open ?? NaN;
    columns.high[row] = bar.high ?? NaN;
    columns.low[row] = bar.low ?? NaN;
    columns.close[row] = bar.close ?? NaN;
    columns.volume[row] = bar.volume ?? NaN;
  });
  return columns;
}

/** "none", or the first row of `actual` that disagrees with `expected` (null must be NaN). */
function firstMismatch(actual: ArrayLike<number>, expected: readonly (number | null)[]): string {
  for (let row = 0; row < expected.length; row++) {
    const wanted = expected[row];
    const value = actual[row];
    const agrees = wanted === null ? Number.isNaN(value) : Math.abs(value - wanted) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(wanted));
    if (!agrees) return `row ${row}: ${value}, expected ${wanted}`;
  }
  return "none";
}

const examples = INDICATORS.flatMap((indicator) =>
  indicator.reference.kind === ReferenceKind.CITED
    ? indicator.reference.cases.map((example, index) => ({ indicator, example, label: `${indicator.id} example ${index + 1} ${JSON.stringify(example.parameters)}` }))
    : [],
);

describe("indicators with a cited reference match its worked examples", () => {
  if (examples.length === 0) {
    it("has nothing to check: no registered indicator declares a cited reference", () => expect(examples).toEqual([]));
    return;
  }

  it.each(examples)("$label: lookback, batch and stream agree with the published values", ({ indicator, example }) => {
    const parameters = resolveParameters(indicator, example.parameters);
    const columns = columnsOf(example);
    const lookback = indicator.lookback(parameters);
    const batch = indicator.computeBatch(parameters, columns, example.context);
    const stream = indicator.createStream(parameters, example.context);
    const streamed = indicator.outputs.map(() => new Float64Array(columns.length));
    example.bars.forEach((_bar, row) => {
      const values = stream.update(barAt(columns, row));
      values.forEach((value, output) => (streamed[output][row] = value));
    });
    indicator.outputs.forEach((output, index) => {
      const expected = example.expected[output.name];
      expect(expected).toHaveLength(example.bars.length);
      const firstDefined = expected.findIndex((value) => value !== null);
      expect(`${output.name}: first defined row ${firstDefined}`).toBe(`${output.name}: first defined row ${lookback}`);
      expect(`${output.name} batch: ${firstMismatch(batch[index], expected)}`).toBe(`${output.name} batch: none`);
      expect(`${output.name} stream: ${firstMismatch(streamed[index], expected)}`).toBe(`${output.name} stream: none`);
    });
  });
});
