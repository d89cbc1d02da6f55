import { PriceField } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import { adStep } from "./ad";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { ValueStream } from "./value-stream";
import { decayWarmup } from "./warmup";

/** The two EMA periods, in bars. */
interface OscillatorPeriods {
  readonly fast: number;
  readonly slow: number;
}

function periodsOf(parameters: IndicatorParameters): OscillatorPeriods {
  return { fast: integerParameter(parameters, "fastPeriod"), slow: integerParameter(parameters, "slowPeriod") };
}

/** TA-Lib's ADOSC lookback: the slower EMA's, max(fast, slow) - 1. */
function lookbackOf({ fast, slow }: OscillatorPeriods): number {
  return Math.max(fast, slow) - 1;
}

/**
 * The A/D line and its two EMAs in TA-Lib's TA_ADOSC order: both EMAs start at the first bar's A/D value (not an
 * SMA seed) and step as `k·ad + (1 - k)·ema` (not MACD's `(x - ema)·k + ema`), from the second bar on.
 */
class AdOscillator {
  private readonly fastFactor: number;
  private readonly slowFactor: number;
  private readonly fastRetention: number;
  private readonly slowRetention: number;
  private ad = 0;
  private fast = NaN;
  private slow = NaN;
  /** Bars fed so far. */
  count = 0;

  constructor(
    periods: OscillatorPeriods,
    private readonly lookback: number,
  ) {
    this.fastFactor = emaFactor(periods.fast);
    this.slowFactor = emaFactor(periods.slow);
    this.fastRetention = 1 - this.fastFactor;
    this.slowRetention = 1 - this.slowFactor;
  }

  /** Feeds the next bar; returns fast EMA - slow EMA of the A/D line, NaN before the lookback. */
  next(high: number, low: number, close: number, volume: number): number {
    const row = this.count++;
    const ad = (this.ad = adStep(this.ad, high, low, close, volume));
    if (row === 0) {
      this.fast = ad;
      this.slow = ad;
    } else {
      this.fast = this.fastFactor * ad + this.fastRetention * this.fast;
      this.slow = this.slowFactor * ad + this.slowRetention * this.slow;
    }
    return row < this.lookback ? NaN : this.fast - this.slow;
  }

  /** What `next` would return now, without changing the state. */
  peek(high: number, low: number, close: number, volume: number): number {
    if (this.count < this.lookback) return NaN;
    const ad = adStep(this.ad, high, low, close, volume);
    return this.fastFactor * ad + this.fastRetention * this.fast - (this.slowFactor * ad + this.slowRetention * this.slow);
  }
}

/**
 * Chaikin A/D Oscillator: EMA(fastPeriod) - EMA(slowPeriod) of the Chaikin A/D line, both EMAs started at the first
 * bar's A/D value, as TA-Lib. Parameters: `fastPeriod` (default 3), `slowPeriod` (default 10), bars, each
 * [2, 100000], fast below slow. Output `value` in volume units, defined from row max(fast, slow) - 1.
 * Warm-up: the slow EMA's decay. A later start shifts the A/D line by a constant, which the difference of two EMAs
 * cancels; what remains is each EMA's seed error, decaying like any EMA's.
 */
export const adosc: IndicatorDefinition = defineIndicator({
  id: "adosc",
  name: "Chaikin A/D Oscillator",
  description:
    "Momentum of the accumulation/distribution line: its fast EMA minus its slow EMA, in volume units. Crossing above zero reads as buying pressure building.",
  source: "Marc Chaikin; matches TA-Lib TA_ADOSC.",
  version: 1,
  group: IndicatorGroup.VOLUME,
  parameters: [
    periodParameter("fastPeriod", "Bars of the fast EMA of the A/D line; must be below slowPeriod.", 3),
    periodParameter("slowPeriod", "Bars of the slow EMA of the A/D line.", 10),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE, PriceField.VOLUME],
  outputs: [{ name: "value", description: "Fast EMA minus slow EMA of the A/D line, in volume units.", scale: ToleranceScale.VOLUME }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "ADOSC",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE, volume: PriceField.VOLUME },
    options: { optInFastPeriod: "fastPeriod", optInSlowPeriod: "slowPeriod" },
    outputs: ["outReal"],
  },
  testCases: [{}, { fastPeriod: 2, slowPeriod: 3 }, { fastPeriod: 12, slowPeriod: 26 }],
  read: periodsOf,
  check({ fast, slow }) {
    if (fast >= slow) {
      throw badUserInput(`Parameter "fastPeriod" of indicator "adosc" must be smaller than "slowPeriod", got fastPeriod ${fast} and slowPeriod ${slow}.`, {
        indicator: "adosc",
        fastPeriod: fast,
        slowPeriod: slow,
      });
    }
  },
  lookback: lookbackOf,
  warmup: (periods, tolerance) => decayWarmup(lookbackOf(periods), 1 - emaFactor(Math.max(periods.fast, periods.slow)), tolerance),
  writeBatch(periods, { high, low, close, volume, length }, [value]) {
    const oscillator = new AdOscillator(periods, lookbackOf(periods));
    for (let i = 0; i < length; i++) value[i] = oscillator.next(high[i], low[i], close[i], volume[i]);
  },
  createStream: (periods) =>
    new ValueStream(
      new AdOscillator(periods, lookbackOf(periods)),
      (oscillator, bar) => oscillator.next(bar.high, bar.low, bar.close, bar.volume),
      (oscillator, bar) => oscillator.peek(bar.high, bar.low, bar.close, bar.volume),
    ),
});
