import { computationOfFeature } from "../feature-computation";
import type { Bar } from "../../domain/bar";
import { captureState, restoreState, type ObjectState } from "../../domain/object-state";
import type { IndicatorStream } from "../../indicators/indicator";
import type { SeriesContext } from "../../indicators/series-context";
import type { FeatureDefinition } from "../feature-definition";

/** Which output of which stream one feature reads. */
interface FeatureOutput {
  readonly stream: number;
  readonly output: number;
}

/**
 * The streaming state of a set of features on one series: one indicator stream per distinct (indicator,
 * parameters, input chain) among them, each feature reading one output of its stream (MACD's signal and histogram features
 * share one MACD stream). Fed every closed bar of the series from its first one, its values equal the historical
 * (batch, full-history) values bit for bit.
 */
export class FeatureStreams {
  private readonly streams: IndicatorStream[] = [];
  private readonly outputs: FeatureOutput[] = [];

  /**
   * @param definitions the features, in the order `update` and `preview` write their values
   * @param context the series' timeframe and calendar (for session-anchored indicators)
   */
  constructor(
    readonly definitions: readonly FeatureDefinition[],
    context: SeriesContext,
  ) {
    const byComputation = new Map<string, number>();
    for (const definition of definitions) {
      const { computation, output } = computationOfFeature(definition);
      const key = JSON.stringify([definition.indicator, definition.parameters, definition.input]);
      let stream = byComputation.get(key);
      if (stream === undefined) {
        stream = this.streams.length;
        this.streams.push(computation.createStream(definition.parameters, context));
        byComputation.set(key, stream);
      }
      this.outputs.push({ stream, output });
    }
  }

  /**
   * Feeds the next closed bar and writes each feature's value at it into `values` (definition order; NaN while
   * undefined). `values` must hold at least `definitions.length` numbers.
   */
  update(bar: Bar, values: Float64Array): void {
    const results = this.streams.map((stream) => stream.update(bar));
    this.outputs.forEach(({ stream, output }, feature) => {
      values[feature] = results[stream][output];
    });
  }

  /** Writes the values `update(bar)` would give into `values`, without changing any stream (a forming bar). */
  preview(bar: Bar, values: Float64Array): void {
    const results = this.streams.map((stream) => stream.preview(bar));
    this.outputs.forEach(({ stream, output }, feature) => {
      values[feature] = results[stream][output];
    });
  }

  /** The state of every stream (captureState), to checkpoint; shares no memory with the streams. */
  captureState(): ObjectState {
    return this.streams.map((stream) => captureState(stream));
  }

  /**
   * Puts the streams in the state `captureState` returned on streams of the same definitions.
   * @throws RangeError when the state does not fit (other streams, parameters or code); the streams must then be discarded
   */
  restoreState(state: ObjectState): void {
    if (!Array.isArray(state) || state.length !== this.streams.length) throw new RangeError(`Expected the state of ${this.streams.length} streams.`);
    this.streams.forEach((stream, index) => restoreState(stream, state[index], `streams[${index}]`));
  }
}
