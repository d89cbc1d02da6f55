import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { ValueStream } from "./value-stream";
import { finiteWarmup } from "./warmup";
import { WeightedAverage } from "./wma";

/** Closes of the worked examples (hand-picked: a rise, a dip, a new high). */
const WORKED_CLOSES = [10.0, 10.4, 10.2, 10.9, 11.3, 11.1, 10.6, 10.8, 11.5, 12.0, 11.7, 11.9, 12.4, 12.2];

/** The smoothing window of Hull's average: the integer part of √period. */
function smoothingPeriodOf(period: number): number {
  return Math.floor(Math.sqrt(period));
}

/** First defined row: the full WMA's (period - 1) plus the smoothing WMA's (⌊√period⌋ - 1). */
function lookbackOf(period: number): number {
  return period - 1 + smoothingPeriodOf(period) - 1;
}

/**
 * Hull's average one close at a time: WMA(⌊period/2⌋) and WMA(period) of the close (TA-Lib's WMA arithmetic), their
 * combination 2·half − full, and a WMA(⌊√period⌋) of that. Batch and stream both run it.
 */
class HullAverage {
  private readonly half: WeightedAverage;
  private readonly full: WeightedAverage;
  private readonly smoothing: WeightedAverage;

  constructor(period: number) {
    this.half = new WeightedAverage(period >> 1);
    this.full = new WeightedAverage(period);
    this.smoothing = new WeightedAverage(smoothingPeriodOf(period));
  }

  /** Values fed so far. */
  get count(): number {
    return this.full.count;
  }

  /** Feeds the next close; returns HMA, NaN before the lookback. */
  next(close: number): number {
    const half = this.half.next(close);
    const full = this.full.next(close);
    return full === full ? this.smoothing.next(2 * half - full) : NaN;
  }

  /** What `next(close)` would return now, without changing the state. */
  peek(close: number): number {
    const full = this.full.peek(close);
    return full === full ? this.smoothing.peek(2 * this.half.peek(close) - full) : NaN;
  }
}

/**
 * Hull Moving Average of the close: WMA(2·WMA(close, ⌊n/2⌋) − WMA(close, n), ⌊√n⌋), a WMA whose lag the first
 * difference cancels. Parameters: `period` n (bars, default 20, [4, 100000]). Output `value` in the price's unit,
 * defined from row n − 1 + ⌊√n⌋ − 1. Finite window: no warm-up beyond the lookback, but the WMAs' running sums drift,
 * so values from different start rows agree to 1e-8 (roundingFloor), not 1e-9.
 */
export const hma: IndicatorDefinition = defineIndicator({
  id: "hma",
  name: "Hull Moving Average",
  description: "Trend: a fast, smooth average; WMAs combined to cancel most of the lag, then smoothed over √period bars.",
  source: "Alan Hull, 2005; WMAs with TA-Lib's arithmetic.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars of the full WMA (the half WMA takes ⌊period/2⌋, the smoothing ⌊√period⌋).", 20, 4)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "Hull's average of the close, in the price's unit.", scale: ToleranceScale.VALUE }],
  // TA-Lib's WMA keeps running sums that drift with the length of history, and 2·half − full doubles the half's drift:
  // values from different start rows differ by up to 1.1e-9 of the price on BTCUSDT-1m (500,000 bars, period 4).
  roundingFloor: 1e-8,
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      'Alan Hull, "Hull Moving Average" (alanhull.com, 2005): HMA(n) = WMA(2 × WMA(n/2) − WMA(n), √n), integer parts of n/2 and √n, ' +
      "WMA weights 1..k rising to the newest bar. Values below computed with exact fractions from that formula, independently of this module.",
    cases: [
      {
        parameters: { period: 4 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [
            null, null, null, null, 11.253333333333334, 11.356666666666667, 10.843333333333334, 10.615555555555556, 11.181111111111111,
            11.952222222222222, 12.025555555555556, 11.877777777777778, 12.213333333333333, 12.387777777777778,
          ],
        },
      },
      {
        parameters: { period: 9 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [null, null, null, null, null, null, null, null, null, null, 11.779259259259259, 12.031851851851853, 12.267037037037037, 12.396296296296295],
        },
      },
    ],
  },
  testCases: [{}, { period: 4 }, { period: 9 }, { period: 100 }],
  read: readPeriod,
  lookback: ({ period }) => lookbackOf(period),
  warmup: ({ period }, tolerance) => finiteWarmup(lookbackOf(period), tolerance),
  writeBatch({ period }, { close, length }, [value]) {
    const average = new HullAverage(period);
    for (let i = 0; i < length; i++) value[i] = average.next(close[i]);
  },
  createStream: ({ period }) => new ValueStream(new HullAverage(period), (average, bar) => average.next(bar.close), (average, bar) => average.peek(bar.close)),
});
