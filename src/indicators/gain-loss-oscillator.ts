import type { IndicatorStream, StreamInput } from "./indicator";
import { wilderNext } from "./smoothing";

/**
 * The oscillators over Wilder-smoothed average gains and losses of the close (RSI, CMO): one kernel, so both
 * round exactly like TA-Lib, whose TA_RSI and TA_CMO share this loop and differ only in the final ratio.
 */

/** TA-Lib's TA_IS_ZERO threshold. */
const EPSILON = 1e-14;

/**
 * Largest |change| for which `change + |change|` cannot overflow (Number.MAX_VALUE / 2, exact).
 * Below it the branch-free forms below are exact; above it (and for NaN, ±Infinity) Math.max is used.
 */
const HALF_MAX = Number.MAX_VALUE / 2;

/**
 * The up-move part of a change: the change when >= 0, else +0 (TA-Lib adds changes >= 0 to the gains;
 * adding +0 instead of nothing changes no sum). `(change + |change|) * 0.5` is exact (the sum is 2·change
 * or +0, halving it is exact) and compiles without a data-dependent branch; V8 turns Math.max and
 * ternaries on doubles into branches that mispredict on half of the bars. The guard is always predicted.
 */
function gainOf(change: number): number {
  const size = Math.abs(change);
  return size <= HALF_MAX ? (change + size) * 0.5 : Math.max(change, 0);
}

/** The down-move part of a change as a positive number, else +0 (TA-Lib subtracts changes < 0 from the losses). */
function lossOf(change: number): number {
  const size = Math.abs(change);
  return size <= HALF_MAX ? (size - change) * 0.5 : Math.max(-change, 0);
}

/** How an oscillator reads the average gain and the average loss (both >= 0). */
export type GainLossOscillator = (gain: number, loss: number) => number;

/** RSI from average gain and loss: 100 × gain / (gain + loss), 0 when both are (near) zero, as TA-Lib. */
export const relativeStrength: GainLossOscillator = (gain, loss) => {
  const sum = gain + loss;
  return -EPSILON < sum && sum < EPSILON ? 0 : 100 * (gain / sum);
};

/** CMO from average gain and loss: 100 × (gain − loss) / (gain + loss), 0 when both are (near) zero, as TA-Lib. */
export const chandeMomentum: GainLossOscillator = (gain, loss) => {
  const sum = gain + loss;
  return -EPSILON < sum && sum < EPSILON ? 0 : 100 * ((gain - loss) / sum);
};

/**
 * Batch oscillator over Wilder-smoothed gains and losses in TA-Lib's TA_RSI / TA_CMO order (seed: plain
 * averages of the first `period` changes).
 * @param input prices, oldest first; `length` rows are read
 * @param out receives the oscillator from row `period`; rows before are left untouched (NaN-filled by the caller)
 */
export function gainLossColumn(input: Float64Array, length: number, period: number, oscillator: GainLossOscillator, out: Float64Array): void {
  if (length <= period) return;
  let previous = input[0];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const x = input[i];
    const change = x - previous;
    previous = x;
    gain += gainOf(change);
    loss += lossOf(change);
  }
  gain /= period;
  loss /= period;
  out[period] = oscillator(gain, loss);
  for (let i = period + 1; i < length; i++) {
    const x = input[i];
    const change = x - previous;
    previous = x;
    gain = wilderNext(gain, gainOf(change), period);
    loss = wilderNext(loss, lossOf(change), period);
    out[i] = oscillator(gain, loss);
  }
}

/** Streaming form of `gainLossColumn`; same arithmetic. */
export class GainLossStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private previous = NaN;
  private gain = 0;
  private loss = 0;
  count = 0;

  constructor(
    private readonly period: number,
    private readonly oscillator: GainLossOscillator,
  ) {}

  update(bar: StreamInput): Float64Array {
    const x = bar.close;
    const row = this.count++;
    const change = x - this.previous;
    this.previous = x;
    const period = this.period;
    if (row === 0) {
      this.output[0] = NaN;
    } else if (row < period) {
      this.gain += gainOf(change);
      this.loss += lossOf(change);
      this.output[0] = NaN;
    } else if (row === period) {
      this.gain = (this.gain + gainOf(change)) / period;
      this.loss = (this.loss + lossOf(change)) / period;
      this.output[0] = this.oscillator(this.gain, this.loss);
    } else {
      this.gain = wilderNext(this.gain, gainOf(change), period);
      this.loss = wilderNext(this.loss, lossOf(change), period);
      this.output[0] = this.oscillator(this.gain, this.loss);
    }
    return this.output;
  }

  /** `update`'s last two branches on local copies of the averages; NaN before row `period`. */
  preview(bar: StreamInput): Float64Array {
    const row = this.count;
    const period = this.period;
    let value = NaN;
    if (row >= period) {
      const change = bar.close - this.previous;
      value =
        row === period
          ? this.oscillator((this.gain + gainOf(change)) / period, (this.loss + lossOf(change)) / period)
          : this.oscillator(wilderNext(this.gain, gainOf(change), period), wilderNext(this.loss, lossOf(change), period));
    }
    this.previewed[0] = value;
    return this.previewed;
  }
}
