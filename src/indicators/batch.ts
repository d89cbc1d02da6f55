import type { BarColumns } from "../domain/bar";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream } from "./indicator";
import type { SeriesContext } from "./series-context";

/** The metadata of an indicator: its definition without the functions `defineIndicator` builds. */
type IndicatorMetadata = Omit<
  IndicatorDefinition,
  "checkParameters" | "lookback" | "warmup" | "computeBatch" | "computeBatchInto" | "createStream"
>;

/**
 * An indicator module before `defineIndicator`: its metadata, how it reads its parameters into typed
 * settings `S` (once per call of the public contract), and the contract's functions on those settings
 * plus the unchecked batch kernel both batch entry points share.
 */
export interface IndicatorModule<S> extends IndicatorMetadata {
  /**
   * Reads resolved parameters into the typed settings every other function takes, e.g.
   * `{ period: integerParameter(parameters, "period") }`.
   * @throws Error (a programming error) when a parameter is missing, i.e. resolveParameters was skipped
   */
  read(parameters: IndicatorParameters): S;
  /** Cross-parameter rule (see `IndicatorDefinition.checkParameters`), on the settings. */
  check?(settings: S): void;
  /** See `IndicatorDefinition.lookback`. */
  lookback(settings: S): number;
  /** See `IndicatorDefinition.warmup`. */
  warmup(settings: S, relativeTolerance: number, context: SeriesContext | undefined): number;
  /**
   * Unchecked batch kernel. Writes rows [lookback, columns.length) of every output (declaration order).
   * Called only through `computeBatchInto`, which has already checked the outputs (count, each of length
   * >= columns.length, no overlap with each other, the inputs or openTime). May use rows before the lookback as
   * scratch (they are overwritten with NaN afterwards); must not read or write rows >= columns.length.
   */
  writeBatch(settings: S, columns: BarColumns, outputs: readonly Float64Array[], context: SeriesContext | undefined): void;
  /** See `IndicatorDefinition.createStream`. */
  createStream(settings: S, context: SeriesContext | undefined): IndicatorStream;
}

/** Whether two typed arrays share any byte of memory. */
function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Checks caller-provided output columns for `computeBatchInto`.
 * @throws RangeError when the number of outputs differs from the indicator's declared outputs, an output
 *   is not a Float64Array or has fewer than `columns.length` rows, or outputs overlap each other, one of
 *   the input columns the indicator reads or the openTime column
 */
function checkOutputs(definition: IndicatorDefinition, columns: BarColumns, outputs: readonly Float64Array[]): void {
  const expected = definition.outputs.length;
  if (outputs.length !== expected) {
    throw new RangeError(
      `Indicator "${definition.id}" writes ${expected} output column(s) (${definition.outputs.map((o) => o.name).join(", ")}), got ${outputs.length}.`,
    );
  }
  for (let k = 0; k < outputs.length; k++) {
    const output = outputs[k];
    if (!(output instanceof Float64Array)) {
      throw new RangeError(`Output "${definition.outputs[k].name}" of indicator "${definition.id}" must be a Float64Array.`);
    }
    if (output.length < columns.length) {
      throw new RangeError(
        `Output "${definition.outputs[k].name}" of indicator "${definition.id}" has ${output.length} rows, needs at least ${columns.length}.`,
      );
    }
    for (let j = 0; j < k; j++) {
      if (overlaps(output, outputs[j])) {
        throw new RangeError(`Outputs "${definition.outputs[j].name}" and "${definition.outputs[k].name}" of indicator "${definition.id}" overlap.`);
      }
    }
    for (const field of definition.inputs) {
      if (overlaps(output, columns[field])) {
        throw new RangeError(`Output "${definition.outputs[k].name}" of indicator "${definition.id}" overlaps its input column "${field}".`);
      }
    }
    if (overlaps(output, columns.openTime)) {
      throw new RangeError(`Output "${definition.outputs[k].name}" of indicator "${definition.id}" overlaps the openTime column.`);
    }
  }
}

/**
 * Completes an indicator module into an `IndicatorDefinition`, the one place the public contract (on
 * resolved parameter records) is wired to the module's functions (on typed settings) for every indicator:
 * - each public function reads the parameters once (`read`) and calls the module's function;
 * - `computeBatchInto` = check the outputs, run the module's `writeBatch`, fill rows [0, lookback) with NaN;
 * - `computeBatch` = allocate one `Float64Array` of `columns.length` rows per output, then `computeBatchInto`.
 * Neither `read` nor `writeBatch` is exposed.
 */
export function defineIndicator<S>(module: IndicatorModule<S>): IndicatorDefinition {
  const { read, check, lookback, warmup, writeBatch, createStream, ...metadata } = module;
  const definition: IndicatorDefinition = {
    ...metadata,
    ...(check && { checkParameters: (parameters: IndicatorParameters) => check(read(parameters)) }),
    lookback: (parameters) => lookback(read(parameters)),
    warmup: (parameters, relativeTolerance, context) => warmup(read(parameters), relativeTolerance, context),
    computeBatchInto(parameters, columns, outputs, context) {
      checkOutputs(definition, columns, outputs);
      const settings = read(parameters);
      writeBatch(settings, columns, outputs, context);
      const undefinedRows = Math.min(lookback(settings), columns.length);
      for (let k = 0; k < outputs.length; k++) outputs[k].fill(NaN, 0, undefinedRows);
    },
    computeBatch(parameters, columns, context) {
      const outputs = definition.outputs.map(() => new Float64Array(columns.length));
      definition.computeBatchInto(parameters, columns, outputs, context);
      return outputs;
    },
    createStream: (parameters, context) => createStream(read(parameters), context),
  };
  return definition;
}
