/**
 * `computeBatchInto` (caller-provided output columns) gives exactly (Object.is, so NaN and -0 included)
 * what `computeBatch` gives, for every indicator, output and parameter set: into exact-length buffers,
 * into longer buffers pre-filled with garbage (rows before the lookback must be written NaN, rows beyond
 * the input untouched), reused across calls, and on series shorter than the lookback. Wrong output shapes
 * throw RangeError without writing anything.
 */
import type { IndicatorDefinition } from "../../../src/indicators/indicator";
import { resolveParameters } from "../../../src/indicators/parameters";
import { TEST_SERIES, loadSeries, sliceSeries } from "../../support/market-data";
import { casesOf, registryTable } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";

/** Values no indicator computes here, including ones that would pass a sloppy NaN or zero check. */
const GARBAGE = [123456.789, -0, 0, Infinity, -1e300, 42];

/** `count` output columns of `length` rows each, filled with garbage that differs by row and column. */
function dirtyOutputs(count: number, length: number): Float64Array[] {
  return Array.from({ length: count }, (_, k) => {
    const column = new Float64Array(length);
    for (let row = 0; row < length; row++) column[row] = GARBAGE[(row + k) % GARBAGE.length];
    return column;
  });
}

/** "none", or the first row where `actual` differs from `expected` (Object.is), over expected's rows. */
function firstDifference(indicator: IndicatorDefinition, expected: Float64Array[], actual: Float64Array[]): string {
  for (let k = 0; k < expected.length; k++) {
    for (let row = 0; row < expected[k].length; row++) {
      if (!Object.is(expected[k][row], actual[k][row])) {
        return `${indicator.outputs[k].name}[${row}]: computeBatch ${expected[k][row]}, computeBatchInto ${actual[k][row]}`;
      }
    }
  }
  return "none";
}

/** "none", or the first row at or beyond `from` that no longer holds the garbage it was filled with. */
function firstOverwrittenTail(outputs: Float64Array[], from: number): string {
  for (let k = 0; k < outputs.length; k++) {
    for (let row = from; row < outputs[k].length; row++) {
      if (!Object.is(outputs[k][row], GARBAGE[(row + k) % GARBAGE.length])) return `output ${k} row ${row}: ${outputs[k][row]}`;
    }
  }
  return "none";
}

const cases = casesOf();

describe.each(TEST_SERIES)("computeBatchInto equals computeBatch on %s", (fileName) => {
  const columns = loadSeries(fileName);
  const context = contextOf(fileName);

  it.each(cases)("$label: exact-length, longer dirty and reused buffers", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const expected = indicator.computeBatch(parameters, columns, context);
    expect(expected).toHaveLength(indicator.outputs.length);
    for (const column of expected) expect(column).toHaveLength(columns.length);

    const exact = indicator.outputs.map(() => new Float64Array(columns.length));
    indicator.computeBatchInto(parameters, columns, exact, context);
    expect(firstDifference(indicator, expected, exact)).toBe("none");

    const extra = 7;
    const dirty = dirtyOutputs(indicator.outputs.length, columns.length + extra);
    indicator.computeBatchInto(parameters, columns, dirty, context);
    expect(firstDifference(indicator, expected, dirty)).toBe("none");
    expect(firstOverwrittenTail(dirty, columns.length)).toBe("none");

    // The same buffers again, now holding a previous result of a different series (a later start).
    const later = sliceSeries(columns, Math.floor(columns.length / 3));
    indicator.computeBatchInto(parameters, later, dirty, context);
    expect(firstDifference(indicator, indicator.computeBatch(parameters, later, context), dirty)).toBe("none");
  });
});

describe("computeBatchInto on series shorter than the lookback, into dirty buffers", () => {
  const columns = loadSeries("SPY-1d.csv");
  const context = contextOf("SPY-1d.csv");

  it.each(cases)("$label: 0 .. lookback + 2 bars, NaN written before the lookback", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const lookback = indicator.lookback(parameters);
    for (const length of new Set([0, 1, 2, lookback - 1, lookback, lookback + 1, lookback + 2].filter((n) => n >= 0))) {
      const short = sliceSeries(columns, 0, length);
      const outputs = dirtyOutputs(indicator.outputs.length, length + 3);
      indicator.computeBatchInto(parameters, short, outputs, context);
      expect(firstDifference(indicator, indicator.computeBatch(parameters, short, context), outputs)).toBe("none");
      for (const column of outputs) expect(column.subarray(0, Math.min(lookback, length)).every(Number.isNaN)).toBe(true);
      expect(firstOverwrittenTail(outputs, length)).toBe("none");
    }
  });
});

describe.each(registryTable())("computeBatchInto rejects bad outputs: %s", (_id, indicator) => {
  const columns = sliceSeries(loadSeries("BTCUSDT-1h.csv"), 0, 500);
  const parameters = resolveParameters(indicator, {});
  const count = indicator.outputs.length;

  /** Expects a RangeError matching `message` and no output row changed. */
  function expectRangeError(outputs: Float64Array[], message: RegExp): void {
    const before = outputs.map((column) => column.slice());
    expect(() => indicator.computeBatchInto(parameters, columns, outputs)).toThrow(RangeError);
    expect(() => indicator.computeBatchInto(parameters, columns, outputs)).toThrow(message);
    const changed = outputs.findIndex((column, k) => column.some((value, row) => !Object.is(value, before[k][row])));
    expect(`first changed output: ${changed}`).toBe("first changed output: -1");
  }

  it("throws RangeError for too few or too many output columns", () => {
    expectRangeError(dirtyOutputs(count - 1, columns.length), /output column\(s\).*got/);
    expectRangeError(dirtyOutputs(count + 1, columns.length), /output column\(s\).*got/);
    expect(() => indicator.computeBatchInto(parameters, columns, [])).toThrow(RangeError);
  });

  it("throws RangeError for an output shorter than the input, naming it", () => {
    for (let k = 0; k < count; k++) {
      const outputs = dirtyOutputs(count, columns.length);
      outputs[k] = outputs[k].subarray(0, columns.length - 1);
      expectRangeError(outputs, new RegExp(`"${indicator.outputs[k].name}".*has ${columns.length - 1} rows, needs at least ${columns.length}`));
    }
  });

  it("throws RangeError for outputs overlapping each other or an input column", () => {
    if (count > 1) {
      const outputs = dirtyOutputs(count, columns.length);
      outputs[count - 1] = outputs[0];
      expectRangeError(outputs, /overlap/);
      const shared = new Float64Array(columns.length * count - 1);
      expectRangeError(Array.from({ length: count }, (_, k) => shared.subarray(k * (columns.length - 1), k * (columns.length - 1) + columns.length)), /overlap/);
    }
    const aliasing = dirtyOutputs(count, columns.length);
    aliasing[0] = columns[indicator.inputs[0]];
    expect(() => indicator.computeBatchInto(parameters, columns, aliasing)).toThrow(RangeError);
    expect(() => indicator.computeBatchInto(parameters, columns, aliasing)).toThrow(/overlaps its input column/);
    const onOpenTime = dirtyOutputs(count, columns.length);
    onOpenTime[count - 1] = columns.openTime;
    expect(() => indicator.computeBatchInto(parameters, columns, onOpenTime)).toThrow(/overlaps the openTime column/);
  });

  it("accepts outputs sharing one buffer without overlapping (subarrays side by side)", () => {
    const shared = new Float64Array(columns.length * count).fill(7);
    const outputs = Array.from({ length: count }, (_, k) => shared.subarray(k * columns.length, (k + 1) * columns.length));
    const context = contextOf("BTCUSDT-1h.csv");
    indicator.computeBatchInto(parameters, columns, outputs, context);
    expect(firstDifference(indicator, indicator.computeBatch(parameters, columns, context), outputs)).toBe("none");
  });
});
