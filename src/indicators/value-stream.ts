import type { IndicatorStream, StreamInput } from "./indicator";

/** One-value-per-bar state that counts what it was fed (a weighted average, a money-flow window, ...). */
export interface CountingKernel {
  /** Bars (or values) fed so far. */
  readonly count: number;
}

/**
 * The IndicatorStream of a single-output kernel: `next` feeds the kernel one bar and returns the output, `peek` returns
 * what `next` would without changing the kernel (forming bars). The functions only pick the bar's fields, so the
 * kernel holds all the state (checkpoints capture it; functions are not state).
 */
export class ValueStream<Kernel extends CountingKernel> implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);

  /**
   * @param next feeds `bar` to `kernel`, returns the output (NaN before the lookback)
   * @param peek the output `next` would return, without changing `kernel`
   */
  constructor(
    private readonly kernel: Kernel,
    private readonly next: (kernel: Kernel, bar: StreamInput) => number,
    private readonly peek: (kernel: Kernel, bar: StreamInput) => number,
  ) {}

  get count(): number {
    return this.kernel.count;
  }

  update(bar: StreamInput): Float64Array {
    this.output[0] = this.next(this.kernel, bar);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.peek(this.kernel, bar);
    return this.previewed;
  }
}
