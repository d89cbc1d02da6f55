import { PriceField, type BarColumns } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import type { IndicatorComputation, IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import type { SeriesContext } from "./series-context";

/** One output of a computation with fixed parameters: what a composed computation feeds its outer indicator. */
export interface ComputationOutput {
  readonly computation: IndicatorComputation;
  readonly parameters: IndicatorParameters;
  /** Index of the output among `computation.outputs`. */
  readonly output: number;
}

/**
 * Checks that `outer` can take another computation's output as its input: it must read the close alone (a
 * single-input indicator such as SMA, EMA, RSI or the transforms), which the composed computation replaces.
 * @throws DomainError BAD_USER_INPUT naming the columns the indicator reads
 */
export function checkComposable(outer: IndicatorDefinition): void {
  if (outer.inputs.length !== 1 || outer.inputs[0] !== PriceField.CLOSE) {
    throw badUserInput(
      `Indicator "${outer.id}" reads ${outer.inputs.join(", ")}: only indicators that read the close alone (e.g. sma, ema, rsi, zscore) ` +
        "can take another feature as their input.",
      { indicator: outer.id },
    );
  }
}

/** The inner output's rows from `from` on, as the close (and every other price column) of the outer indicator's bars. */
function innerColumns(values: Float64Array, openTime: Float64Array, from: number): BarColumns {
  const column = values.subarray(from);
  return { length: column.length, openTime: openTime.subarray(from), open: column, high: column, low: column, close: column, volume: column };
}

/**
 * Streaming form: the inner stream fed every bar; from its first defined value on, the outer stream fed a bar whose
 * close is that value (with the bar's open time). Batch feeds the outer indicator the same values from the same row,
 * so both agree bit for bit.
 */
class ComposedStream implements IndicatorStream {
  private readonly undefinedOutputs: Float64Array;
  private readonly innerBar = { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };

  constructor(
    private readonly inner: IndicatorStream,
    private readonly output: number,
    private readonly innerLookback: number,
    private readonly outer: IndicatorStream,
    outputs: number,
  ) {
    this.undefinedOutputs = new Float64Array(outputs).fill(NaN);
  }

  get count(): number {
    return this.inner.count;
  }

  update(bar: StreamInput): Float64Array {
    const value = this.inner.update(bar)[this.output];
    return this.inner.count <= this.innerLookback ? this.undefinedOutputs : this.outer.update(this.asInnerBar(bar.openTime, value));
  }

  preview(bar: StreamInput): Float64Array {
    const value = this.inner.preview(bar)[this.output];
    return this.inner.count + 1 <= this.innerLookback ? this.undefinedOutputs : this.outer.preview(this.asInnerBar(bar.openTime, value));
  }

  private asInnerBar(openTime: number, value: number): StreamInput {
    const bar = this.innerBar;
    bar.openTime = openTime;
    bar.open = bar.high = bar.low = bar.close = bar.volume = value;
    return bar;
  }
}

/**
 * The computation of `outer` applied to `input`'s output instead of the close (e.g. the z-score of RSI 14): its value at
 * row i is `outer` computed over the input's values from the input's first defined row up to row i.
 * - lookback: the input's lookback + the outer's (rows before are NaN);
 * - warm-up: the input's warm-up + the outer's (the input's values are within tolerance after its warm-up, and the
 *   outer's warm-up then bounds what its earlier, less exact inputs still contribute);
 * - reads the input's columns; writes the outer's outputs; parameters are the outer's (the input's are fixed);
 * - version: the sum of the chain's algorithm versions.
 * Compositions nest: `input.computation` may itself be composed.
 * @param outer an indicator that reads the close alone (see `checkComposable`)
 * @throws DomainError BAD_USER_INPUT when `outer` reads other columns
 */
export function composeIndicator(outer: IndicatorDefinition, input: ComputationOutput): IndicatorComputation {
  checkComposable(outer);
  const { computation: inner, parameters: innerParameters, output } = input;
  const innerLookback = inner.lookback(innerParameters);
  const composed: IndicatorComputation = {
    id: `${outer.id}(${inner.id}.${inner.outputs[output].name})`,
    // Checkpoints compare versions: the sum grows whenever any indicator of the chain is bumped.
    version: outer.version + inner.version,
    inputs: inner.inputs,
    outputs: outer.outputs,
    lookback: (parameters) => innerLookback + outer.lookback(parameters),
    warmup: (parameters, tolerance, context) => inner.warmup(innerParameters, tolerance, context) + outer.warmup(parameters, tolerance, context),
    computeBatchInto(parameters: IndicatorParameters, columns: BarColumns, outputs: readonly Float64Array[], context?: SeriesContext) {
      const values = inner.computeBatch(innerParameters, columns, context)[output];
      const undefinedRows = Math.min(innerLookback, columns.length);
      for (const column of outputs) column.fill(NaN, 0, undefinedRows);
      if (columns.length <= innerLookback) return;
      const rows = outputs.map((column) => column.subarray(innerLookback, columns.length));
      outer.computeBatchInto(parameters, innerColumns(values, columns.openTime, innerLookback), rows, context);
    },
    computeBatch(parameters, columns, context) {
      const outputs = outer.outputs.map(() => new Float64Array(columns.length));
      composed.computeBatchInto(parameters, columns, outputs, context);
      return outputs;
    },
    createStream: (parameters, context) =>
      new ComposedStream(inner.createStream(innerParameters, context), output, innerLookback, outer.createStream(parameters, context), outer.outputs.length),
  };
  return composed;
}
