import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { wilderNext } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

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

/** RSI from average gain and loss, 0 when both are (near) zero, as TA-Lib. */
function rsiOf(gain: number, loss: number): number {
  const sum = gain + loss;
  return -EPSILON < sum && sum < EPSILON ? 0 : 100 * (gain / sum);
}

/** Batch RSI in TA-Lib's TA_RSI order (seed: plain averages of the first `period` changes). */
function rsiColumn(input: Float64Array, length: number, period: number, out: Float64Array): void {
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
  out[period] = rsiOf(gain, loss);
  for (let i = period + 1; i < length; i++) {
    const x = input[i];
    const change = x - previous;
    previous = x;
    gain = wilderNext(gain, gainOf(change), period);
    loss = wilderNext(loss, lossOf(change), period);
    out[i] = rsiOf(gain, loss);
  }
}

/** Streaming RSI; same arithmetic as `rsiColumn`. */
class RsiStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private previous = NaN;
  private gain = 0;
  private loss = 0;
  count = 0;

  constructor(private readonly period: number) {}

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
      this.output[0] = rsiOf(this.gain, this.loss);
    } else {
      this.gain = wilderNext(this.gain, gainOf(change), period);
      this.loss = wilderNext(this.loss, lossOf(change), period);
      this.output[0] = rsiOf(this.gain, this.loss);
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
          ? rsiOf((this.gain + gainOf(change)) / period, (this.loss + lossOf(change)) / period)
          : rsiOf(wilderNext(this.gain, gainOf(change), period), wilderNext(this.loss, lossOf(change), period));
    }
    this.previewed[0] = value;
    return this.previewed;
  }
}

/**
 * Relative Strength Index of the close: 100 * avgGain / (avgGain + avgLoss) with Wilder's smoothing
 * (k = 1/period), seeded with the plain averages of the first `period` changes.
 * Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in [0, 100], defined from row
 * `period` (0 when there was no movement at all, as TA-Lib).
 * Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln((period - 1) / period)), relative to the
 * 0..100 scale.
 */
export const rsi: IndicatorDefinition = defineIndicator({
  id: "rsi",
  name: "Relative Strength Index",
  description:
    "Momentum oscillator from 0 to 100: the share of recent up-moves in all moves. Above 70 reads overbought, below 30 oversold.",
  source: "Wilder 1978; matches TA-Lib TA_RSI (default compatibility, no unstable period).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "RSI from 0 (only losses) to 100 (only gains).", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "RSI",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
    regtest: { function: "RSI", parameters: { timePeriod: "period" }, outputs: ["real"] },
  },
  testCases: [{}, { period: 2 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance),
  writeBatch({ period }, columns, [value]) {
    rsiColumn(columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new RsiStream(period),
});
