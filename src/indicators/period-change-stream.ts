import type { IndicatorStream, StreamInput } from "./indicator";
import { RingBuffer } from "./ring-buffer";

/** Percent change from `previous` to `x` as TA-Lib's TA_ROC: ((x / previous) - 1) * 100, 0 when previous is 0. */
export function percentChange(x: number, previous: number): number {
  return previous !== 0 ? (x / previous - 1) * 100 : 0;
}

/**
 * Streaming form of a change of the close over `period` bars (ROC, momentum): keeps the last period + 1 closes and
 * writes `change(close, close period bars ago)`, NaN for the first `period` bars.
 */
export class PeriodChangeStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly window: RingBuffer;
  count = 0;

  /** @param change the change from `earlier` to `x`, e.g. `x - earlier` */
  constructor(
    private readonly period: number,
    private readonly change: (x: number, earlier: number) => number,
  ) {
    this.window = new RingBuffer(period + 1);
  }

  update(bar: StreamInput): Float64Array {
    const x = bar.close;
    // With room for period + 1 closes, the oldest kept is the close `period` bars ago.
    const earlier = this.window.pushAndOldest(x);
    this.output[0] = this.count++ < this.period ? NaN : this.change(x, earlier);
    return this.output;
  }

  /** Before the push, the close `period` bars before the new one is `period - 1` pushes ago. */
  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.count < this.period ? NaN : this.change(bar.close, this.window.ago(this.period - 1));
    return this.previewed;
  }
}
