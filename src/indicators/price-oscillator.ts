import { PriceField } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import { defineIndicator } from "./batch";
import { emaColumn, EmaState } from "./exponential-average";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** TA-Lib's TA_EPSILON: a slow average this near 0 gives 0 instead of a division. */
const EPSILON = 1e-14;

/** The two EMA periods, in bars. */
interface OscillatorPeriods {
  readonly fast: number;
  readonly slow: number;
}

/** How the two averages combine: their difference (APO) or the difference in percent of the slow one (PPO). */
type Combination = (fast: number, slow: number) => number;

const difference: Combination = (fast, slow) => fast - slow;
const percentDifference: Combination = (fast, slow) => (-EPSILON < slow && slow < EPSILON ? 0 : ((fast - slow) / slow) * 100);

function periodsOf(parameters: IndicatorParameters): OscillatorPeriods {
  return { fast: integerParameter(parameters, "fastPeriod"), slow: integerParameter(parameters, "slowPeriod") };
}

/**
 * Batch oscillator as TA-Lib's INT_PO with EMAs: both EMAs from row 0, each seeded with the mean of its first
 * `period` closes (unlike MACD, whose fast EMA TA-Lib starts late); combined from row slow - 1.
 */
function oscillatorColumn(close: Float64Array, length: number, { fast, slow }: OscillatorPeriods, combine: Combination, out: Float64Array): void {
  const fastValues = new Float64Array(length);
  emaColumn(close, length, 0, fast, emaFactor(fast), fastValues);
  emaColumn(close, length, 0, slow, emaFactor(slow), out);
  for (let i = slow - 1; i < length; i++) out[i] = combine(fastValues[i], out[i]);
}

/** Streaming oscillator; same arithmetic as `oscillatorColumn`. */
class OscillatorStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly fast: EmaState;
  private readonly slow: EmaState;
  count = 0;

  constructor(
    periods: OscillatorPeriods,
    private readonly combine: Combination,
  ) {
    this.fast = new EmaState(periods.fast, emaFactor(periods.fast));
    this.slow = new EmaState(periods.slow, emaFactor(periods.slow));
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    const fast = this.fast.next(bar.close);
    const slow = this.slow.next(bar.close);
    this.output[0] = Number.isNaN(slow) ? NaN : this.combine(fast, slow);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const fast = this.fast.peek(bar.close);
    const slow = this.slow.peek(bar.close);
    this.previewed[0] = Number.isNaN(slow) ? NaN : this.combine(fast, slow);
    return this.previewed;
  }
}

/** The definition shared by APO and PPO. */
function priceOscillator(
  id: "apo" | "ppo",
  combine: Combination,
  text: { name: string; description: string; output: string },
  scale: ToleranceScale,
): IndicatorDefinition {
  return defineIndicator({
    id,
    name: text.name,
    description: text.description,
    source: `Difference of two EMAs of the close; matches TA-Lib TA_${id.toUpperCase()} with optInMAType EMA (1).`,
    version: 1,
    group: IndicatorGroup.MOMENTUM,
    parameters: [
      periodParameter("fastPeriod", "Number of bars of the fast EMA; must be below slowPeriod.", 12),
      periodParameter("slowPeriod", "Number of bars of the slow EMA.", 26),
    ],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: text.output, scale }],
    reference: {
      kind: ReferenceKind.TALIB,
      function: id.toUpperCase(),
      inputs: { inReal: PriceField.CLOSE },
      options: { optInFastPeriod: "fastPeriod", optInSlowPeriod: "slowPeriod" },
      fixedOptions: { optInMAType: 1 },
      outputs: ["outReal"],
    },
    testCases: [{}, { fastPeriod: 2, slowPeriod: 3 }, { fastPeriod: 5, slowPeriod: 50 }],
    read: periodsOf,
    check({ fast, slow }) {
      if (fast >= slow) {
        throw badUserInput(`Parameter "fastPeriod" of indicator "${id}" must be smaller than "slowPeriod", got fastPeriod ${fast} and slowPeriod ${slow}.`, {
          indicator: id,
          fastPeriod: fast,
          slowPeriod: slow,
        });
      }
    },
    lookback: ({ slow }) => slow - 1,
    warmup: ({ slow }, tolerance) => decayWarmup(slow - 1, 1 - emaFactor(slow), tolerance),
    writeBatch(periods, columns, [value]) {
      oscillatorColumn(columns.close, columns.length, periods, combine, value);
    },
    createStream: (periods) => new OscillatorStream(periods, combine),
  });
}

/**
 * Absolute Price Oscillator: EMA(fastPeriod) - EMA(slowPeriod) of the close, MACD's line with its own periods.
 * Parameters: `fastPeriod` (default 12), `slowPeriod` (default 26), both [2, 100000], fast below slow. Output `value`
 * in the price's unit, defined from row slowPeriod - 1.
 */
export const apo: IndicatorDefinition = priceOscillator(
  "apo",
  difference,
  {
    name: "Absolute Price Oscillator",
    description: "Momentum: the fast EMA minus the slow EMA of the close, in price units. Positive in uptrends.",
    output: "Fast EMA minus slow EMA, in the price's unit.",
  },
  // A difference of prices that crosses zero: judged on the price's scale, like MACD.
  ToleranceScale.PRICE,
);

/**
 * Percentage Price Oscillator: (EMA(fastPeriod) - EMA(slowPeriod)) / EMA(slowPeriod) × 100 of the close; 0 when the
 * slow EMA is 0 (as TA-Lib). Parameters as APO. Output `value` in percent, defined from row slowPeriod - 1.
 */
export const ppo: IndicatorDefinition = priceOscillator(
  "ppo",
  percentDifference,
  {
    name: "Percentage Price Oscillator",
    description: "Momentum: the gap between the fast and the slow EMA in percent of the slow one, comparable across price levels.",
    output: "(Fast EMA - slow EMA) / slow EMA, in percent.",
  },
  // Percent of the price crossing zero: an error of 1e-9 of the price in the averages is 1e-7 here, 1e-9 of 100.
  ToleranceScale.OSCILLATOR_100,
);
