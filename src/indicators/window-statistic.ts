import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { ContiguousWindow } from "./contiguous-window";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, OutputSpec, ParameterSpec, StreamInput } from "./indicator";
import type { IndicatorGroup } from "./indicator-group";
import type { IndicatorReference } from "./reference";
import type { SeriesContext } from "./series-context";
import { finiteWarmup } from "./warmup";

/**
 * A statistic of a window of closes: reads `values[start .. end)` (oldest first, the current close last) and returns
 * the output at the current bar.
 */
export type WindowStatistic = (values: Float64Array, start: number, end: number) => number;

/** What differs between the statistics computed afresh from each window of the close. */
export interface WindowStatisticSpec<S> {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly group: IndicatorGroup;
  readonly parameters: readonly ParameterSpec[];
  readonly output: OutputSpec;
  readonly reference: IndicatorReference;
  readonly testCases: IndicatorDefinition["testCases"];
  readonly read: (parameters: IndicatorParameters) => S;
  /** Number of closes the statistic reads, the current one included; the lookback is one less. */
  readonly windowLength: (settings: S) => number;
  /**
   * The statistic for these settings on this series (once per batch call or stream).
   * @throws Error naming the SeriesContext when the settings need it and it is missing
   */
  readonly prepare: (settings: S, context: SeriesContext | undefined) => WindowStatistic;
}

/** Streaming form: the last `windowLength` closes kept contiguous, the same statistic applied to them. */
class WindowStatisticStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly window: ContiguousWindow;
  count = 0;

  constructor(
    length: number,
    private readonly statistic: WindowStatistic,
  ) {
    this.window = new ContiguousWindow(length);
  }

  update(bar: StreamInput): Float64Array {
    const { window } = this;
    window.push(bar.close);
    this.count++;
    this.output[0] = window.size < window.capacity ? NaN : this.statistic(window.values, window.start, window.end);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { window } = this;
    if (window.size + 1 < window.capacity) {
      this.previewed[0] = NaN;
      return this.previewed;
    }
    window.stage(bar.close);
    const start = window.size === window.capacity ? window.start + 1 : window.start;
    this.previewed[0] = this.statistic(window.values, start, window.end + 1);
    return this.previewed;
  }
}

/**
 * An indicator whose value at row i is a statistic of the closes [i - windowLength + 1 .. i], computed from that window
 * alone (no running sums): exact and identical from any start row, at O(windowLength) per bar. Batch and stream call
 * the same statistic on the same values in the same order, so they agree bit for bit.
 */
export function windowStatisticIndicator<S>(spec: WindowStatisticSpec<S>): IndicatorDefinition {
  const { windowLength, prepare } = spec;
  return defineIndicator<S>({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    source: spec.source,
    version: 1,
    group: spec.group,
    parameters: spec.parameters,
    inputs: [PriceField.CLOSE],
    outputs: [spec.output],
    reference: spec.reference,
    testCases: spec.testCases,
    read: spec.read,
    lookback: (settings) => windowLength(settings) - 1,
    warmup: (settings, tolerance) => finiteWarmup(windowLength(settings) - 1, tolerance),
    writeBatch(settings, { close, length }, [value], context) {
      const statistic = prepare(settings, context);
      const window = windowLength(settings);
      for (let end = window; end <= length; end++) value[end - 1] = statistic(close, end - window, end);
    },
    createStream: (settings, context) => new WindowStatisticStream(windowLength(settings), prepare(settings, context)),
  });
}
