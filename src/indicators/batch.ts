import type { BarColumns } from "../domain/bar";
import type { IndicatorDefinition, IndicatorParameters } from "./indicator";

/**
 * An indicator module before `defineIndicator`: the whole contract except the two batch entry points,
 * plus the unchecked batch kernel they share.
 */
export type IndicatorModule = Omit<IndicatorDefinition, "computeBatch" | "computeBatchInto"> & {
  /**
   * Unchecked batch kernel. Writes rows [lookback, columns.length) of every output (declaration order).
   * Called only through `computeBatchInto`, which has already checked the outputs (count, each of length
   * >= columns.length, no overlap with each other or the inputs). May use rows before the lookback as
   * scratch (they are overwritten with NaN afterwards); must not read or write rows >= columns.length.
   */
  writeBatch(parameters: IndicatorParameters, columns: BarColumns, outputs: readonly Float64Array[]): void;
};

/** Whether two typed arrays share any byte of memory. */
function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Checks caller-provided output columns for `computeBatchInto`.
 * @throws RangeError when the number of outputs differs from the indicator's declared outputs, an output
 *   is not a Float64Array or has fewer than `columns.length` rows, or outputs overlap each other or one of
 *   the input columns the indicator reads
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
  }
}

/**
 * Completes an indicator module into an `IndicatorDefinition`, the one place both batch entry points are
 * defined for every indicator:
 * - `computeBatchInto` = check the outputs, run the module's `writeBatch`, fill rows [0, lookback) with NaN;
 * - `computeBatch` = allocate one `Float64Array` of `columns.length` rows per output, then `computeBatchInto`.
 * Extra properties of the module (e.g. MACD's `checkParameters`) are kept; `writeBatch` is not exposed.
 */
export function defineIndicator<M extends IndicatorModule>(module: M): Omit<M, "writeBatch"> & IndicatorDefinition {
  const { writeBatch, ...rest } = module;
  const definition: Omit<M, "writeBatch"> & IndicatorDefinition = {
    ...rest,
    computeBatchInto(parameters: IndicatorParameters, columns: BarColumns, outputs: readonly Float64Array[]): void {
      checkOutputs(definition, columns, outputs);
      writeBatch(parameters, columns, outputs);
      const undefinedRows = Math.min(definition.lookback(parameters), columns.length);
      for (let k = 0; k < outputs.length; k++) outputs[k].fill(NaN, 0, undefinedRows);
    },
    computeBatch(parameters: IndicatorParameters, columns: BarColumns): Float64Array[] {
      const outputs = definition.outputs.map(() => new Float64Array(columns.length));
      definition.computeBatchInto(parameters, columns, outputs);
      return outputs;
    },
  };
  return definition;
}
