import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { emaColumn, EmaState } from "./exponential-average";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { percentChange } from "./period-change-stream";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { chainedDecayWarmup } from "./warmup";

/** What is made of a chain of EMAs (each the EMA of the one before). */
enum ChainOutput {
  /** Two stages: (2·e1) - e2. */
  DEMA,
  /** Three stages: e3 + ((3·e1) - (3·e2)). */
  TEMA,
  /** Three stages: the one-bar percent change of e3. */
  TRIX,
}

/** Number of chained EMAs. */
function depthOf(output: ChainOutput): 2 | 3 {
  return output === ChainOutput.DEMA ? 2 : 3;
}

/** First defined row: each stage starts period - 1 rows after the one before; TRIX needs one e3 value more. */
function lookbackOf(output: ChainOutput, period: number): number {
  return depthOf(output) * (period - 1) + (output === ChainOutput.TRIX ? 1 : 0);
}

/** The output at one row from the stages' values there (and e3 one row before, for TRIX), in TA-Lib's order. */
function combine(output: ChainOutput, e1: number, e2: number, e3: number, previousE3: number): number {
  switch (output) {
    case ChainOutput.DEMA:
      return 2 * e1 - e2;
    case ChainOutput.TEMA:
      return e3 + (3 * e1 - 3 * e2);
    case ChainOutput.TRIX:
      return percentChange(e3, previousE3);
  }
}

/**
 * Batch form: each EMA of the chain (TA-Lib's INT_EMA, seeded with the mean of its first `period` inputs) runs over
 * the previous one's defined rows, so stage j is defined from row j·(period - 1).
 */
function chainColumns(input: Float64Array, length: number, period: number, output: ChainOutput, out: Float64Array): void {
  const k = emaFactor(period);
  const lag = period - 1;
  const depth = depthOf(output);
  const e1 = new Float64Array(length);
  const e2 = new Float64Array(length);
  const e3 = depth === 3 ? new Float64Array(length) : e2;
  emaColumn(input, length, 0, period, k, e1);
  emaColumn(e1, length, lag, period, k, e2);
  if (depth === 3) emaColumn(e2, length, 2 * lag, period, k, e3);
  for (let i = lookbackOf(output, period); i < length; i++) out[i] = combine(output, e1[i], e2[i], e3[i], e3[i - 1]);
}

/** Streaming form; same arithmetic as `chainColumns`: a stage is fed once the one before is defined. */
class ChainStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly stages: EmaState[];
  /** Each stage's value at the bar being fed (no allocation per bar). */
  private readonly values = new Float64Array(3);
  /** The last stage's value at the newest bar fed (NaN before it is defined). */
  private lastStage = NaN;
  count = 0;

  constructor(
    period: number,
    private readonly kind: ChainOutput,
  ) {
    const k = emaFactor(period);
    this.stages = Array.from({ length: depthOf(kind) }, () => new EmaState(period, k));
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const previous = this.lastStage;
    this.output[0] = this.run(bar.close, false, previous);
    this.lastStage = this.values[this.stages.length - 1];
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.run(bar.close, true, this.lastStage);
    return this.previewed;
  }

  /** Feeds (or peeks) `x` through the stages while each is defined; the output once all are (NaN before). */
  private run(x: number, peek: boolean, previousLast: number): number {
    const values = this.values;
    values.fill(NaN);
    let input = x;
    for (let stage = 0; stage < this.stages.length; stage++) {
      const value = peek ? this.stages[stage].peek(input) : this.stages[stage].next(input);
      if (Number.isNaN(value)) return NaN;
      values[stage] = input = value;
    }
    if (this.kind === ChainOutput.TRIX && Number.isNaN(previousLast)) return NaN;
    return combine(this.kind, values[0], values[1], values[2], previousLast);
  }
}

/** The definition of one member of the family. */
function chainedEma(
  id: "dema" | "tema" | "trix",
  kind: ChainOutput,
  text: { name: string; description: string; source: string; output: string },
  scale: ToleranceScale,
  defaultPeriod: number,
): IndicatorDefinition {
  const depth = depthOf(kind);
  return defineIndicator({
    id,
    name: text.name,
    description: text.description,
    source: `${text.source}; matches TA-Lib TA_${id.toUpperCase()}.`,
    version: 1,
    group: kind === ChainOutput.TRIX ? IndicatorGroup.MOMENTUM : IndicatorGroup.TREND,
    parameters: [periodParameter("period", "Number of bars of each EMA; sets k = 2 / (period + 1).", defaultPeriod)],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: text.output, scale }],
    reference: { kind: ReferenceKind.TALIB, function: id.toUpperCase(), inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
    testCases: [{}, { period: 2 }, { period: 9 }],
    read: readPeriod,
    lookback: ({ period }) => lookbackOf(kind, period),
    warmup: ({ period }, tolerance) => chainedDecayWarmup(lookbackOf(kind, period), 1 - emaFactor(period), depth, tolerance),
    writeBatch({ period }, columns, [value]) {
      chainColumns(columns.close, columns.length, period, kind, value);
    },
    createStream: ({ period }) => new ChainStream(period, kind),
  });
}

/**
 * Double Exponential Moving Average: 2·EMA(close) - EMA(EMA(close)), less lag than an EMA of the same period.
 * Parameters: `period` (bars, default 30, [2, 100000]). Output `value` in the price's unit, defined from row
 * 2·(period - 1). Warm-up: `chainedDecayWarmup` with two stages.
 */
export const dema: IndicatorDefinition = chainedEma(
  "dema",
  ChainOutput.DEMA,
  {
    name: "Double Exponential Moving Average",
    description: "Trend: twice an EMA minus the EMA of that EMA, which removes most of an EMA's lag.",
    source: "Patrick Mulloy 1994",
    output: "The double exponential moving average of the close, in the price's unit.",
  },
  ToleranceScale.VALUE,
  30,
);

/**
 * Triple Exponential Moving Average: 3·EMA - 3·EMA(EMA) + EMA(EMA(EMA)) of the close. Parameters: `period` (bars,
 * default 30, [2, 100000]). Output `value` in the price's unit, defined from row 3·(period - 1). Warm-up:
 * `chainedDecayWarmup` with three stages.
 */
export const tema: IndicatorDefinition = chainedEma(
  "tema",
  ChainOutput.TEMA,
  {
    name: "Triple Exponential Moving Average",
    description: "Trend: three chained EMAs combined to cancel the lag of the first two; follows the price closely.",
    source: "Patrick Mulloy 1994",
    output: "The triple exponential moving average of the close, in the price's unit.",
  },
  ToleranceScale.VALUE,
  30,
);

/**
 * TRIX: the one-bar rate of change, in percent, of a triple-smoothed EMA (EMA of EMA of EMA) of the close.
 * Parameters: `period` (bars, default 30, [2, 100000]). Output `value` in percent, defined from row
 * 3·(period - 1) + 1. Warm-up: `chainedDecayWarmup` with three stages.
 */
export const trix: IndicatorDefinition = chainedEma(
  "trix",
  ChainOutput.TRIX,
  {
    name: "Triple Exponential Average Rate of Change",
    description: "Momentum: the percent change per bar of a triple-smoothed EMA; crosses zero when the smoothed trend turns.",
    source: "Jack Hutson 1980s",
    output: "One-bar change of the triple EMA, in percent.",
  },
  // Tiny percentages crossing zero: judged against 100 (an error of 1e-9 of the price in the EMAs is about 1e-7 here).
  ToleranceScale.OSCILLATOR_100,
  30,
);
