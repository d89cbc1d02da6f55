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
  /**
   * Optional per-bar transform of the close and the close before it (a log return), computed once per bar from the
   * second bar on: the window then holds transformed values, and the lookback grows by one.
   */
  readonly perBar?: (close: number, previous: number) => number;
  /** Number of values the statistic reads, the current one included (closes, or `perBar` values). */
  readonly windowLength: (settings: S) => number;
  /**
   * The statistic for these settings on this series (once per batch call or stream).
   * @throws Error naming the SeriesContext when the settings need it and it is missing
   */
  readonly prepare: (settings: S, context: SeriesContext | undefined) => WindowStatistic;
}

/** Streaming form: the last `windowLength` values (closes or `perBar` values) kept contiguous, the same statistic applied. */
class WindowStatisticStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly window: ContiguousWindow;
  private previous = NaN;
  count = 0;

  constructor(
    length: number,
    private readonly statistic: WindowStatistic,
    private readonly perBar: ((close: number, previous: number) => number) | undefined,
  ) {
    this.window = new ContiguousWindow(length);
  }

  update(bar: StreamInput): Float64Array {
    const { window, perBar } = this;
    const first = this.count++ === 0;
    if (perBar === undefined) window.push(bar.close);
    else if (!first) window.push(perBar(bar.close, this.previous));
    this.previous = bar.close;
    this.output[0] = window.size < window.capacity ? NaN : this.statistic(window.values, window.start, window.end);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { window, perBar } = this;
    if (window.size + 1 < window.capacity || (perBar !== undefined && this.count === 0)) {
      this.previewed[0] = NaN;
      return this.previewed;
    }
    window.stage(perBar === undefined ? bar.close : perBar(bar.close, this.previous));
    const start = window.size === window.capacity ? window.start + 1 : window.start;
    this.previewed[0] = this.statistic(window.values, start, window.end + 1);
    return this.previewed;
  }
}

/**
 * An indicator whose value at row i is a statistic of the closes [i - windowLength + 1 .. i] (or of the `perBar` values
 * of rows [i - windowLength + 1 .. i], each from its close and the one before), computed from that window alone (no
 * running sums): exact and identical from any start row, at O(windowLength) per bar. Batch and stream call
 * the same statistic on the same values in the same order, so they agree bit for bit.
 */
export function windowStatisticIndicator<S>(spec: WindowStatisticSpec<S>): IndicatorDefinition {
  const { windowLength, prepare, perBar } = spec;
  // With a per-bar transform the first bar only supplies the previous close.
  const lookbackOf = (settings: S) => windowLength(settings) - (perBar === undefined ? 1 : 0);
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
    lookback: lookbackOf,
    warmup: (settings, tolerance) => finiteWarmup(lookbackOf(settings), tolerance),
    writeBatch(settings, { close, length }, [value], context) {
      const statistic = prepare(settings, context);
      const window = windowLength(settings);
      let values = close;
      if (perBar !== undefined) {
        // values[i] = perBar(close[i], close[i - 1]) from row 1; row 0 is never read.
        values = new Float64Array(length);
        for (let i = 1; i < length; i++) values[i] = perBar(close[i], close[i - 1]);
      }
      for (let end = lookbackOf(settings) + 1; end <= length; end++) value[end - 1] = statistic(values, end - window, end);
    },
    createStream: (settings, context) => new WindowStatisticStream(windowLength(settings), prepare(settings, context), perBar),
  });
}
