/**
 * Train/serve parity at the indicator level: feeding the bars one at a time through `createStream` gives
 * exactly (Object.is, so NaN and -0 included) the values `computeBatch` gives, on every row, for every
 * indicator, output and parameter set. The batch loops are written separately for speed, so this is the
 * proof that they do the same arithmetic.
 *
 * Forming bars: before each update the stream is also asked to `preview` bars (none, the bar itself, other
 * bars, a spike, in turn): a preview of the bar itself must equal the update's outputs bit for bit, and no
 * number of previews may change what later updates return (they are compared with batch).
 */
import { barAt, type Bar, type BarColumns } from "../../../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream } from "../../../src/indicators/indicator";
import type { SeriesContext } from "../../../src/indicators/series-context";
import { resolveParameters } from "../../../src/indicators/parameters";
import { TEST_SERIES, loadSeries, sliceSeries } from "../../support/market-data";
import { casesOf } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";

/** A stream's outputs over a series, and the first row where a preview of the bar differed from its update. */
interface StreamRun {
  readonly outputs: Float64Array[];
  /** "none", or where and how. */
  readonly previewDifference: string;
}

/** A forming bar far outside the recent range: new extremes, a large move, a large volume. */
function spikeOf(bar: Bar): Bar {
  return { ...bar, high: bar.high * 1.5, low: bar.low * 0.5, close: bar.close * 1.25, volume: bar.volume * 3 + 1 };
}

/**
 * Previews `bar` and other bars on `stream` (which ones depends on the row) and returns a copy of the outputs
 * of the last preview of `bar` itself, or undefined when the row previews nothing.
 */
function previewAround(stream: IndicatorStream, bar: Bar, other: Bar, row: number): Float64Array | undefined {
  switch (row % 4) {
    case 0:
      return undefined;
    case 1:
      return stream.preview(bar).slice();
    case 2:
      stream.preview(other);
      return stream.preview(bar).slice();
    default: {
      const own = stream.preview(bar).slice();
      stream.preview(spikeOf(bar));
      stream.preview(other);
      return own;
    }
  }
}

/** Runs a stream over all bars with previews before the updates; returns one column per output. */
function runStream(indicator: IndicatorDefinition, parameters: IndicatorParameters, columns: BarColumns, context: SeriesContext): StreamRun {
  const stream = indicator.createStream(parameters, context);
  const outputs = indicator.outputs.map(() => new Float64Array(columns.length));
  let previewDifference = "none";
  for (let row = 0; row < columns.length; row++) {
    const bar = barAt(columns, row);
    const previewed = previewAround(stream, bar, barAt(columns, (row * 7919 + 13) % columns.length), row);
    const values = stream.update(bar);
    // Plain checks: a jest expect per row would dominate the run time.
    if (values.length !== indicator.outputs.length) throw new Error(`row ${row}: ${values.length} outputs`);
    for (let output = 0; output < outputs.length; output++) {
      outputs[output][row] = values[output];
      if (previewed && !Object.is(previewed[output], values[output]) && previewDifference === "none") {
        previewDifference = `${indicator.outputs[output].name}[${row}]: preview ${previewed[output]}, update ${values[output]}`;
      }
    }
  }
  expect(stream.count).toBe(columns.length);
  return { outputs, previewDifference };
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

  it.each(cases)("$label: every output identical on every row, previews identical to updates", ({ indicator, given }) => {
    const parameters = resolveParameters(indicator, given);
    const batch = indicator.computeBatch(parameters, columns, context);
    const stream = runStream(indicator, parameters, columns, context);
    expect(firstDifference(indicator, batch, stream.outputs)).toBe("none");
    expect(stream.previewDifference).toBe("none");
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
      const stream = runStream(indicator, parameters, short, context);
      expect(firstDifference(indicator, batch, stream.outputs)).toBe("none");
      expect(stream.previewDifference).toBe("none");
    }
  });
});
