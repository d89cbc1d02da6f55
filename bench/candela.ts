/**
 * Candela's own indicators, measured through the public indicator contract
 * (src/indicators/indicator.ts) exactly as the feature engine calls them:
 *
 * - batch: `computeBatch(parameters, columns)` over the Float64Array columns of all bars;
 * - streaming: a fresh `createStream(parameters)` fed every bar object with `update(bar)`.
 *
 * Definitions come from the registry (`getIndicator`) and parameters from `resolveParameters`, so a
 * renamed parameter or id fails loudly here instead of silently measuring something else.
 */
import type { BarColumns } from "../src/domain/bar";
import type { IndicatorDefinition, IndicatorParameters, StreamInput } from "../src/indicators/indicator";
import { getIndicator } from "../src/indicators/registry";
import { resolveParameters } from "../src/indicators/parameters";
import type { Runnable } from "./peers";

/** A Candela indicator with its resolved parameters. */
export interface CandelaIndicator {
  readonly definition: IndicatorDefinition;
  readonly parameters: IndicatorParameters;
}

/** Looks the indicator up in the registry and resolves the given parameters. */
export function candelaIndicator(id: string, given: Readonly<Record<string, number>>): CandelaIndicator {
  const definition = getIndicator(id);
  return { definition, parameters: resolveParameters(definition, given) };
}

/** Batch over all columns; returns the first output on the last row. */
export function candelaBatchRunnable(indicator: CandelaIndicator, columns: BarColumns): Runnable {
  const { definition, parameters } = indicator;
  return () => {
    const outputs = definition.computeBatch(parameters, columns);
    return outputs[0][outputs[0].length - 1];
  };
}

/** Streaming over every bar; returns the first output after the last bar. */
export function candelaStreamRunnable(indicator: CandelaIndicator, bars: readonly StreamInput[]): Runnable {
  const { definition, parameters } = indicator;
  return () => {
    const stream = definition.createStream(parameters);
    let result: Float64Array | undefined;
    for (let i = 0; i < bars.length; i++) result = stream.update(bars[i]);
    return result === undefined ? NaN : result[0];
  };
}

/** Every output's value on the last row, from batch and from streaming (for the C cross-check). */
export function candelaLastRows(
  indicator: CandelaIndicator,
  columns: BarColumns,
  bars: readonly StreamInput[],
): { batch: number[]; stream: number[] } {
  const { definition, parameters } = indicator;
  const batch = definition.computeBatch(parameters, columns).map((column) => column[column.length - 1]);
  const stream = definition.createStream(parameters);
  let last: Float64Array = new Float64Array(0);
  for (let i = 0; i < bars.length; i++) last = stream.update(bars[i]);
  return { batch, stream: Array.from(last) };
}
