import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { emaColumn, EmaState } from "./exponential-average";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { chainedDecayWarmup } from "./warmup";

/** How many EMAs are chained: 2 for DEMA, 3 for TEMA. */
type Depth = 2 | 3;

/**
 * The combination of the chained EMAs' values at one row, in TA-Lib's order: DEMA (2·e1) - e2; TEMA
 * e3 + ((3·e1) - (3·e2)).
 */
function combine(depth: Depth, e1: number, e2: number, e3: number): number {
  return depth === 2 ? 2 * e1 - e2 : e3 + (3 * e1 - 3 * e2);
}

/**
 * Batch DEMA or TEMA: each EMA of the chain (TA-Lib's INT_EMA, seeded with the mean of its first `period` inputs)
 * runs over the previous one's defined rows, so stage j is defined from row j·(period - 1).
 */
function chainColumns(input: Float64Array, length: number, period: number, depth: Depth, out: Float64Array): void {
  const k = emaFactor(period);
  const lag = period - 1;
  const e1 = new Float64Array(length);
  const e2 = new Float64Array(length);
  const e3 = depth === 3 ? new Float64Array(length) : e2;
  emaColumn(input, length, 0, period, k, e1);
  emaColumn(e1, length, lag, period, k, e2);
  if (depth === 3) emaColumn(e2, length, 2 * lag, period, k, e3);
  for (let i = depth * lag; i < length; i++) out[i] = combine(depth, e1[i], e2[i], e3[i]);
}

/** Streaming DEMA or TEMA; same arithmetic as `chainColumns`: a stage is fed once the one before is defined. */
class ChainStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly stages: EmaState[];
  /** Each stage's value at the bar being fed (no allocation per bar). */
  private readonly values = new Float64Array(3);
  count = 0;

  constructor(
    period: number,
    private readonly depth: Depth,
  ) {
    const k = emaFactor(period);
    this.stages = Array.from({ length: depth }, () => new EmaState(period, k));
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.run(bar.close, false);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.run(bar.close, true);
    return this.previewed;
  }

  /** Feeds (or peeks) `x` through the stages while each is defined; the combination once all are. */
  private run(x: number, peek: boolean): number {
    const values = this.values;
    let input = x;
    for (let stage = 0; stage < this.depth; stage++) {
      const value = peek ? this.stages[stage].peek(input) : this.stages[stage].next(input);
      if (Number.isNaN(value)) return NaN;
      values[stage] = input = value;
    }
    return combine(this.depth, values[0], values[1], values[2]);
  }
}

/** The definition shared by DEMA and TEMA. */
function chainedEma(id: "dema" | "tema", depth: Depth, name: string, description: string): IndicatorDefinition {
  return defineIndicator({
    id,
    name,
    description,
    source: `Patrick Mulloy 1994; matches TA-Lib TA_${id.toUpperCase()}.`,
    version: 1,
    group: IndicatorGroup.TREND,
    parameters: [periodParameter("period", "Number of bars of each EMA; sets k = 2 / (period + 1).", 30)],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: `The ${name.toLowerCase()} of the close, in the price's unit.`, scale: ToleranceScale.VALUE }],
    reference: { kind: ReferenceKind.TALIB, function: id.toUpperCase(), inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
    testCases: [{}, { period: 2 }, { period: 9 }],
    read: readPeriod,
    lookback: ({ period }) => depth * (period - 1),
    warmup: ({ period }, tolerance) => chainedDecayWarmup(depth * (period - 1), 1 - emaFactor(period), depth, tolerance),
    writeBatch({ period }, columns, [value]) {
      chainColumns(columns.close, columns.length, period, depth, value);
    },
    createStream: ({ period }) => new ChainStream(period, depth),
  });
}

/**
 * Double Exponential Moving Average: 2·EMA(close) - EMA(EMA(close)), less lag than an EMA of the same period.
 * Parameters: `period` (bars, default 30, [2, 100000]). Output `value` in the price's unit, defined from row
 * 2·(period - 1). Warm-up: `chainedDecayWarmup` with two stages.
 */
export const dema: IndicatorDefinition = chainedEma("dema", 2, "Double Exponential Moving Average", "Trend: twice an EMA minus the EMA of that EMA, which removes most of an EMA's lag.");

/**
 * Triple Exponential Moving Average: 3·EMA - 3·EMA(EMA) + EMA(EMA(EMA)) of the close. Parameters: `period` (bars,
 * default 30, [2, 100000]). Output `value` in the price's unit, defined from row 3·(period - 1). Warm-up:
 * `chainedDecayWarmup` with three stages.
 */
export const tema: IndicatorDefinition = chainedEma("tema", 3, "Triple Exponential Moving Average", "Trend: three chained EMAs combined to cancel the lag of the first two; follows the price closely.");
