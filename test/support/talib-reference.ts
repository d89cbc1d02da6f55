/**
 * Runs an indicator's declared TA-Lib reference (`reference` of its module, src/indicators/reference.ts)
 * through the native TA-Lib of the `talib` npm package. Generic: nothing here names an indicator.
 */
import * as talib from "talib";
import { PriceField, type BarColumns } from "../../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters } from "../../src/indicators/indicator";
import { ReferenceKind } from "../../src/indicators/reference";
import { getIndicator } from "../../src/indicators/registry";
import type { SeriesContext } from "../../src/indicators/series-context";

/** Reference outputs as full-length columns (NaN before `begIndex`), in the order of the indicator's outputs. */
export interface Reference {
  readonly begIndex: number;
  readonly outputs: Float64Array[];
}

const arrayCache = new WeakMap<BarColumns, Readonly<Record<PriceField, number[]>>>();

/** The price and volume columns as plain arrays, as the binding takes them (cached per series). */
function asArrays(columns: BarColumns): Readonly<Record<PriceField, number[]>> {
  let arrays = arrayCache.get(columns);
  if (!arrays) {
    arrays = {
      [PriceField.OPEN]: Array.from(columns.open),
      [PriceField.HIGH]: Array.from(columns.high),
      [PriceField.LOW]: Array.from(columns.low),
      [PriceField.CLOSE]: Array.from(columns.close),
      [PriceField.VOLUME]: Array.from(columns.volume),
    };
    arrayCache.set(columns, arrays);
  }
  return arrays;
}

/**
 * Runs the TA-Lib function `indicator` declares over the whole series: its inputs from the declared
 * columns, its options from our parameters as declared (plus the fixed ones), its outputs in our order.
 * @param parameters output of `resolveParameters`
 * @throws Error when the indicator declares no TA-Lib reference, a mapped parameter is missing, or TA-Lib
 *   reports an error
 */
export function talibReference(indicator: IndicatorDefinition, parameters: IndicatorParameters, columns: BarColumns): Reference {
  const reference = indicator.reference;
  if (reference.kind !== ReferenceKind.TALIB) throw new Error(`${indicator.id} has no TA-Lib reference: ${reference.citation}`);
  const arrays = asArrays(columns);
  const request: talib.ExecuteParameters = { name: reference.function, startIdx: 0, endIdx: columns.length - 1 };
  for (const [input, field] of Object.entries(reference.inputs)) request[input] = arrays[field];
  for (const [option, parameter] of Object.entries(reference.options)) {
    const value = parameters[parameter];
    if (value === undefined) throw new Error(`${indicator.id}: TA-Lib option ${option} maps to unknown parameter "${parameter}"`);
    request[option] = value;
  }
  Object.assign(request, reference.fixedOptions);
  const result = talib.execute(request);
  if (result.error) throw new Error(`TA-Lib ${reference.function}: ${result.error}`);
  const outputs = reference.outputs.map((name) => {
    const column = new Float64Array(columns.length).fill(NaN);
    column.set(result.result[name], result.begIndex);
    return column;
  });
  return { begIndex: result.begIndex, outputs };
}

/**
 * The full-history values an API answer must equal: TA-Lib's when the indicator declares a TA-Lib
 * reference; otherwise (a cited reference, which carries only small worked examples, checked by the unit
 * tests) the indicator's own batch over the whole series, so the API's warm-up loading, slicing and
 * caching are still checked against full history.
 */
function fullHistoryReference(indicator: IndicatorDefinition, parameters: IndicatorParameters, columns: BarColumns, context: SeriesContext): Float64Array[] {
  return indicator.reference.kind === ReferenceKind.TALIB
    ? talibReference(indicator, parameters, columns).outputs
    : indicator.computeBatch(parameters, columns, context);
}

/** One output column as the GraphQL API returns it: values aligned with the requested rows, null = undefined. */
export interface ApiOutput {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/**
 * Compares API output columns (matched to the indicator's outputs by name) for rows
 * [fromRow, fromRow + values.length) of `columns` with the full-history values (TA-Lib over the whole
 * series, see `fullHistoryReference`), within 1e-9 relative.
 * @param context the series' timeframe and calendar (a session VWAP needs them)
 * @returns per output, how many rows differ (0 everywhere when Candela agrees)
 */
export function mismatchesAgainstTalib(
  id: string,
  parameters: IndicatorParameters,
  columns: BarColumns,
  context: SeriesContext,
  fromRow: number,
  outputs: readonly ApiOutput[],
): { indicator: string; output: string; mismatched: number }[] {
  const indicator = getIndicator(id);
  const reference = fullHistoryReference(indicator, parameters, columns, context);
  const outputNames = indicator.outputs.map((output) => output.name);
  return outputs.map((output) => {
    const expected = reference[outputNames.indexOf(output.name)];
    const mismatched = output.values.filter((value, row) => {
      const wanted = expected[fromRow + row];
      if (value === null) return !Number.isNaN(wanted);
      return !(Math.abs(value - wanted) <= 1e-9 * Math.max(1, Math.abs(wanted)));
    }).length;
    return { indicator: id, output: output.name, mismatched };
  });
}
