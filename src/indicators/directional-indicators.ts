import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { DirectionalMovement } from "./directional-movement";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { type PeriodSettings, readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { ToleranceScale } from "./tolerance-scale";
import { chainedDecayWarmup, decayWarmup } from "./warmup";

/** Which value of the directional movement system an indicator reports. */
enum DirectionalOutput {
  PLUS_MOVEMENT,
  MINUS_MOVEMENT,
  PLUS_INDICATOR,
  MINUS_INDICATOR,
  DIRECTIONAL_INDEX,
  AVERAGE_DIRECTIONAL_INDEX,
  /** ADXR: (ADX + ADX of period - 1 bars before) / 2. */
  AVERAGE_DIRECTIONAL_RATING,
}

/** First defined row of each output for Wilder period p (TA-Lib's lookbacks). */
function lookbackOf(kind: DirectionalOutput, period: number): number {
  switch (kind) {
    case DirectionalOutput.PLUS_MOVEMENT:
    case DirectionalOutput.MINUS_MOVEMENT:
      return period - 1;
    case DirectionalOutput.PLUS_INDICATOR:
    case DirectionalOutput.MINUS_INDICATOR:
    case DirectionalOutput.DIRECTIONAL_INDEX:
      return period;
    case DirectionalOutput.AVERAGE_DIRECTIONAL_INDEX:
      return 2 * period - 1;
    case DirectionalOutput.AVERAGE_DIRECTIONAL_RATING:
      return 3 * period - 2;
  }
}

/** The output's value for the state after a bar (ADXR is computed by the stream, which keeps older ADX values). */
function valueOf(kind: DirectionalOutput, state: DirectionalMovement): number {
  switch (kind) {
    case DirectionalOutput.PLUS_MOVEMENT:
      return state.plusMovement;
    case DirectionalOutput.MINUS_MOVEMENT:
      return state.minusMovement;
    case DirectionalOutput.PLUS_INDICATOR:
      return state.plusIndicator();
    case DirectionalOutput.MINUS_INDICATOR:
      return state.minusIndicator();
    case DirectionalOutput.DIRECTIONAL_INDEX:
      return state.directionalIndex;
    case DirectionalOutput.AVERAGE_DIRECTIONAL_INDEX:
    case DirectionalOutput.AVERAGE_DIRECTIONAL_RATING:
      return state.averageDirectionalIndex;
  }
}

/**
 * Streaming form of one directional output; the batch form runs the same state over the columns. Previews advance a scratch
 * copy of the state. ADXR keeps the last `period` ADX values in a ring.
 */
class DirectionalStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly state: DirectionalMovement;
  private readonly scratch: DirectionalMovement;
  private readonly averages: RingBuffer;
  private readonly lookback: number;

  constructor(
    private readonly kind: DirectionalOutput,
    period: number,
  ) {
    this.state = new DirectionalMovement(period);
    this.scratch = new DirectionalMovement(period);
    this.averages = new RingBuffer(period);
    this.lookback = lookbackOf(kind, period);
  }

  get count(): number {
    return this.state.count;
  }

  update(bar: StreamInput): Float64Array {
    const { state } = this;
    state.next(bar.high, bar.low, bar.close);
    const value = valueOf(this.kind, state);
    const older = this.kind === DirectionalOutput.AVERAGE_DIRECTIONAL_RATING ? this.averages.pushAndOldest(value) : 0;
    this.output[0] = state.count - 1 < this.lookback ? NaN : this.combine(value, older);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { scratch } = this;
    if (this.state.count < this.lookback) {
      this.previewed[0] = NaN;
      return this.previewed;
    }
    scratch.copyFrom(this.state);
    scratch.next(bar.high, bar.low, bar.close);
    const older = this.kind === DirectionalOutput.AVERAGE_DIRECTIONAL_RATING ? this.averages.ago(this.averages.capacity - 2) : 0;
    this.previewed[0] = this.combine(valueOf(this.kind, scratch), older);
    return this.previewed;
  }

  /** ADXR averages the ADX with the one period - 1 bars before (TA-Lib's order); the others report the value. */
  private combine(value: number, older: number): number {
    return this.kind === DirectionalOutput.AVERAGE_DIRECTIONAL_RATING ? (value + older) / 2 : value;
  }
}

/** What differs between the seven indicators. */
interface DirectionalSpec {
  readonly id: string;
  readonly kind: DirectionalOutput;
  readonly function: string;
  readonly name: string;
  readonly description: string;
  readonly output: string;
  readonly group: IndicatorGroup;
  readonly scale: ToleranceScale;
  /** Whether the indicator reads the close (DI, DX and ADX divide by the true range; DM does not). */
  readonly readsClose: boolean;
}

/** Retention of Wilder's smoothing: (period - 1) / period. */
function retentionOf(period: number): number {
  return (period - 1) / period;
}

/**
 * Warm-up: one Wilder recursion for DM, DI and DX (ratios of smoothed sums); ADX smooths DX again, a chain of two
 * (chainedDecayWarmup); ADXR adds period - 1 bars of ADX.
 */
function warmupOf(kind: DirectionalOutput, period: number, tolerance: number): number {
  const lookback = lookbackOf(kind, period);
  if (kind === DirectionalOutput.AVERAGE_DIRECTIONAL_INDEX || kind === DirectionalOutput.AVERAGE_DIRECTIONAL_RATING) {
    return chainedDecayWarmup(lookback, retentionOf(period), 2, tolerance);
  }
  return decayWarmup(lookback, retentionOf(period), tolerance);
}

function directionalIndicator(spec: DirectionalSpec): IndicatorDefinition {
  const { kind } = spec;
  return defineIndicator({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    source: `Wilder 1978, New Concepts in Technical Trading Systems; matches TA-Lib TA_${spec.function} (no Wilder rounding, no unstable period).`,
    version: 1,
    group: spec.group,
    parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14)],
    inputs: spec.readsClose ? [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE] : [PriceField.HIGH, PriceField.LOW],
    outputs: [{ name: "value", description: spec.output, scale: spec.scale }],
    reference: {
      kind: ReferenceKind.TALIB,
      function: spec.function,
      inputs: spec.readsClose ? { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE } : { high: PriceField.HIGH, low: PriceField.LOW },
      options: { optInTimePeriod: "period" },
      outputs: ["outReal"],
    },
    testCases: [{}, { period: 2 }, { period: 30 }],
    read: readPeriod,
    lookback: ({ period }: PeriodSettings) => lookbackOf(kind, period),
    warmup: ({ period }: PeriodSettings, tolerance: number) => warmupOf(kind, period, tolerance),
    writeBatch({ period }: PeriodSettings, { high, low, close, length }, [value]) {
      // The stream's state and arithmetic, without its bar objects: ADXR reads the ADX column period - 1 rows back.
      const state = new DirectionalMovement(period);
      const rating = kind === DirectionalOutput.AVERAGE_DIRECTIONAL_RATING;
      const averages = rating ? new Float64Array(length) : value;
      for (let i = 0; i < length; i++) {
        state.next(high[i], low[i], close[i]);
        averages[i] = valueOf(kind, state);
      }
      if (rating) for (let i = lookbackOf(kind, period); i < length; i++) value[i] = (averages[i] + averages[i - period + 1]) / 2;
    },
    createStream: ({ period }: PeriodSettings) => new DirectionalStream(kind, period),
  });
}

/** +DM: Wilder-smoothed upward directional movement, in price units, from row period - 1 (TA_PLUS_DM). */
export const plusdm = directionalIndicator({
  id: "plusdm",
  kind: DirectionalOutput.PLUS_MOVEMENT,
  function: "PLUS_DM",
  name: "Plus Directional Movement",
  description: "Smoothed part of each bar's range above the previous bar's high, when it beats the move below the previous low. In price units.",
  output: "+DM, smoothed over the period, in price units.",
  group: IndicatorGroup.MOMENTUM,
  // Price units near zero in long declines: judged on the price's scale, like MACD.
  scale: ToleranceScale.PRICE,
  readsClose: false,
});

/** -DM: Wilder-smoothed downward directional movement, in price units, from row period - 1 (TA_MINUS_DM). */
export const minusdm = directionalIndicator({
  id: "minusdm",
  kind: DirectionalOutput.MINUS_MOVEMENT,
  function: "MINUS_DM",
  name: "Minus Directional Movement",
  description: "Smoothed part of each bar's range below the previous bar's low, when it beats the move above the previous high. In price units.",
  output: "-DM, smoothed over the period, in price units.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.PRICE,
  readsClose: false,
});

/** +DI = 100 · +DM / TR, in [0, 100], from row `period` (TA_PLUS_DI). */
export const plusdi = directionalIndicator({
  id: "plusdi",
  kind: DirectionalOutput.PLUS_INDICATOR,
  function: "PLUS_DI",
  name: "Plus Directional Indicator",
  description: "Upward directional movement in percent of the true range, 0 to 100. +DI above -DI reads as an uptrend.",
  output: "+DI, from 0 to 100.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.OSCILLATOR_100,
  readsClose: true,
});

/** -DI = 100 · -DM / TR, in [0, 100], from row `period` (TA_MINUS_DI). */
export const minusdi = directionalIndicator({
  id: "minusdi",
  kind: DirectionalOutput.MINUS_INDICATOR,
  function: "MINUS_DI",
  name: "Minus Directional Indicator",
  description: "Downward directional movement in percent of the true range, 0 to 100. -DI above +DI reads as a downtrend.",
  output: "-DI, from 0 to 100.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.OSCILLATOR_100,
  readsClose: true,
});

/** DX = 100 · |+DI - -DI| / (+DI + -DI), in [0, 100], from row `period`; an undefined bar repeats the previous DX (TA_DX). */
export const dx = directionalIndicator({
  id: "dx",
  kind: DirectionalOutput.DIRECTIONAL_INDEX,
  function: "DX",
  name: "Directional Movement Index",
  description: "Strength of the dominant direction, 0 to 100: the gap between +DI and -DI over their sum. Unsmoothed ADX.",
  output: "DX, from 0 to 100.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.OSCILLATOR_100,
  readsClose: true,
});

/** ADX: Wilder-smoothed DX, in [0, 100], from row 2·period - 1 (TA_ADX). */
export const adx = directionalIndicator({
  id: "adx",
  kind: DirectionalOutput.AVERAGE_DIRECTIONAL_INDEX,
  function: "ADX",
  name: "Average Directional Index",
  description: "Trend strength from 0 to 100, whatever the direction: smoothed DX. Above 25 reads as a trending market, below 20 as a range.",
  output: "ADX, from 0 to 100.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.OSCILLATOR_100,
  readsClose: true,
});

/** ADXR = (ADX + ADX of period - 1 bars before) / 2, in [0, 100], from row 3·period - 2 (TA_ADXR). */
export const adxr = directionalIndicator({
  id: "adxr",
  kind: DirectionalOutput.AVERAGE_DIRECTIONAL_RATING,
  function: "ADXR",
  name: "Average Directional Movement Index Rating",
  description: "ADX averaged with its value period - 1 bars earlier, 0 to 100: a slower, steadier reading of trend strength.",
  output: "ADXR, from 0 to 100.",
  group: IndicatorGroup.MOMENTUM,
  scale: ToleranceScale.OSCILLATOR_100,
  readsClose: true,
});
