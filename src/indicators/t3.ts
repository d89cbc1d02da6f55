import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter, realParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { ValueStream } from "./value-stream";
import { chainedDecayWarmup } from "./warmup";

/** Number of chained EMAs. */
const DEPTH = 6;

/** T3's settings. */
interface T3Settings {
  readonly period: number;
  readonly volumeFactor: number;
}

function settingsOf(parameters: IndicatorParameters): T3Settings {
  return { period: integerParameter(parameters, "period"), volumeFactor: realParameter(parameters, "volumeFactor") };
}

/** TA-Lib's T3 lookback: six EMAs, each seeded with the mean of its first `period` inputs: 6·(period - 1). */
function lookbackOf({ period }: T3Settings): number {
  return DEPTH * (period - 1);
}

/**
 * Six chained EMAs and Tillson's combination, in TA-Lib's TA_T3 order. Each EMA steps as `k·x + (1 - k)·e` (not
 * `(x - e)·k + e`), and EMA m + 1 starts once EMA m has `period` values, as their mean (the first: the mean of the
 * first `period` inputs). T3 = c1·e6 + c2·e5 + c3·e4 + c4·e3 with a = volume factor: c1 = -a³, c2 = 3·(a² - c1),
 * c3 = -6·a² - 3·(a - c1), c4 = 1 + 3·a - c1 + 3·a².
 */
class TillsonAverage {
  private readonly averages = new Float64Array(DEPTH);
  private readonly scratch = new Float64Array(DEPTH);
  private readonly factor: number;
  private readonly retention: number;
  private readonly coefficients: readonly [number, number, number, number];
  /** EMAs started so far (0 to 6). */
  private started = 0;
  /** Running sum of the first `period` values of the EMA being started. */
  private seedSum = 0;
  /** Values fed so far. */
  count = 0;

  constructor(private readonly period: number, volumeFactor: number) {
    this.factor = emaFactor(period);
    this.retention = 1 - this.factor;
    const squared = volumeFactor * volumeFactor;
    const c1 = -(squared * volumeFactor);
    const c2 = 3 * (squared - c1);
    const c3 = -6 * squared - 3 * (volumeFactor - c1);
    const c4 = 1 + 3 * volumeFactor - c1 + 3 * squared;
    this.coefficients = [c1, c2, c3, c4];
  }

  /** Feeds the next value; returns T3, NaN before row 6·(period - 1). */
  next(x: number): number {
    const row = this.count++;
    const { period } = this;
    if (row < period) {
      this.seedSum = row === 0 ? x : this.seedSum + x;
      if (row === period - 1) this.startNext();
      return NaN;
    }
    this.stepAll(this.averages, x);
    if (this.started < DEPTH) {
      this.seedSum += this.averages[this.started - 1];
      if (row === (this.started + 1) * (period - 1)) this.startNext();
    }
    return this.started === DEPTH ? this.combine(this.averages) : NaN;
  }

  /** What `next(x)` would return now, without changing the state. */
  peek(x: number): number {
    const row = this.count;
    if (row < DEPTH * (this.period - 1)) return NaN;
    const scratch = this.scratch;
    scratch.set(this.averages);
    this.stepAll(scratch, x);
    if (this.started < DEPTH) scratch[DEPTH - 1] = (this.seedSum + scratch[DEPTH - 2]) / this.period;
    return this.combine(scratch);
  }

  /** Starts the next EMA at the mean of its seed values; the one after it seeds from that mean. */
  private startNext(): void {
    const average = this.seedSum / this.period;
    this.averages[this.started++] = average;
    this.seedSum = average;
  }

  /** One step of the started EMAs, each fed the one before it (the first, `x`). */
  private stepAll(averages: Float64Array, x: number): void {
    const { factor, retention } = this;
    averages[0] = factor * x + retention * averages[0];
    for (let j = 1; j < this.started; j++) averages[j] = factor * averages[j - 1] + retention * averages[j];
  }

  private combine(averages: Float64Array): number {
    const [c1, c2, c3, c4] = this.coefficients;
    return c1 * averages[5] + c2 * averages[4] + c3 * averages[3] + c4 * averages[2];
  }
}

/**
 * Tillson's T3 moving average of the close: three generalized DEMAs, GD(x) = EMA·(1 + a) - EMA(EMA)·a, chained; six
 * EMAs in all. Parameters: `period` (bars, default 5, [2, 100000]), `volumeFactor` a (default 0.7, [0, 1]; 0 gives a
 * triple EMA, 1 the most lag reduction). Output `value` in the price's unit, defined from row 6·(period - 1).
 * Warm-up: six chained recursions (`chainedDecayWarmup`).
 */
export const t3: IndicatorDefinition = defineIndicator({
  id: "t3",
  name: "Tillson T3 Moving Average",
  description: "Smooth, low-lag average: six chained EMAs combined so that the lag of each stage is partly cancelled.",
  source: "Tim Tillson, Technical Analysis of Stocks & Commodities, 1998; matches TA-Lib TA_T3.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [
    periodParameter("period", "Number of bars of each of the six EMAs.", 5),
    { name: "volumeFactor", description: "Weight a of the lag correction in each stage, from 0 to 1.", defaultValue: 0.7, minimum: 0, maximum: 1, integer: false },
  ],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "T3 of the close, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "T3",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period", optInVFactor: "volumeFactor" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2, volumeFactor: 0 }, { period: 10, volumeFactor: 1 }, { period: 30, volumeFactor: 0.5 }],
  read: settingsOf,
  lookback: lookbackOf,
  warmup: (settings, tolerance) => chainedDecayWarmup(lookbackOf(settings), 1 - emaFactor(settings.period), DEPTH, tolerance),
  writeBatch({ period, volumeFactor }, { close, length }, [value]) {
    const average = new TillsonAverage(period, volumeFactor);
    for (let i = 0; i < length; i++) value[i] = average.next(close[i]);
  },
  createStream: ({ period, volumeFactor }) =>
    new ValueStream(new TillsonAverage(period, volumeFactor), (average, bar) => average.next(bar.close), (average, bar) => average.peek(bar.close)),
});
