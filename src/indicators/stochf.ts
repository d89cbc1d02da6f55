import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { FastStochastic, fastStochasticColumns } from "./fast-stochastic";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** TA-Lib's MA type code for the simple moving average (TA_MAType_SMA). */
const TALIB_SMA = 0;

/** The fast stochastic's two periods, in bars. */
export interface FastStochasticPeriods {
  readonly fastK: number;
  readonly fastD: number;
}

/** Reads `fastKPeriod` and `fastDPeriod` once. */
export function fastStochasticPeriodsOf(parameters: IndicatorParameters): FastStochasticPeriods {
  return { fastK: integerParameter(parameters, "fastKPeriod"), fastD: integerParameter(parameters, "fastDPeriod") };
}

/** TA-Lib's STOCHF lookback with SMA smoothing: (fastK - 1) + (fastD - 1); both outputs start there. */
export function fastStochasticLookback({ fastK, fastD }: FastStochasticPeriods): number {
  return fastK - 1 + (fastD - 1);
}

/** Streaming fast stochastic; the batch form runs the same arithmetic over the columns (fastStochasticColumns). */
class StochfStream implements IndicatorStream {
  private readonly output = new Float64Array(2);
  private readonly previewed = new Float64Array(2);
  private readonly stochastic: FastStochastic;
  private readonly lookback: number;
  count = 0;

  constructor(periods: FastStochasticPeriods) {
    this.stochastic = new FastStochastic(periods.fastK, periods.fastD);
    this.lookback = fastStochasticLookback(periods);
  }

  update(bar: StreamInput): Float64Array {
    const { stochastic } = this;
    stochastic.next(bar.high, bar.low, bar.close);
    const defined = this.count++ >= this.lookback;
    this.output[0] = defined ? stochastic.fastK : NaN;
    this.output[1] = defined ? stochastic.fastD : NaN;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { stochastic } = this;
    stochastic.peek(bar.high, bar.low, bar.close);
    const defined = this.count >= this.lookback;
    this.previewed[0] = defined ? stochastic.peekedFastK : NaN;
    this.previewed[1] = defined ? stochastic.peekedFastD : NaN;
    return this.previewed;
  }
}

/**
 * Fast Stochastic Oscillator (Lane): fast %K = 100 × (close - lowest low) / (highest high - lowest low) over
 * `fastKPeriod` bars (0 for a flat window, as TA-Lib), fast %D = SMA(fastDPeriod) of fast %K.
 * Parameters: `fastKPeriod` (default 5), `fastDPeriod` (default 3), bars, each [1, 100000]. Outputs `fastK`, `fastD`
 * in [0, 100], both defined from row fastKPeriod + fastDPeriod - 2 (TA-Lib starts both there).
 */
export const stochf: IndicatorDefinition = defineIndicator({
  id: "stochf",
  name: "Stochastic Oscillator (fast)",
  description:
    "Momentum oscillator from 0 to 100: where the close sits in the recent high-low range (fastK), and its short average (fastD). Faster and noisier than the slow stochastic.",
  source: "Lane 1950s; matches TA-Lib TA_STOCHF with SMA smoothing.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [
    periodParameter("fastKPeriod", "Bars of the high-low range for fast %K.", 5, 1),
    periodParameter("fastDPeriod", "Bars of the SMA turning fast %K into fast %D.", 3, 1),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [
    { name: "fastK", description: "Fast %K, from 0 (close at the range's low) to 100 (at its high).", scale: ToleranceScale.OSCILLATOR_100 },
    { name: "fastD", description: "SMA of fast %K, from 0 to 100.", scale: ToleranceScale.OSCILLATOR_100 },
  ],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "STOCHF",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInFastK_Period: "fastKPeriod", optInFastD_Period: "fastDPeriod" },
    fixedOptions: { optInFastD_MAType: TALIB_SMA },
    outputs: ["outFastK", "outFastD"],
  },
  testCases: [{}, { fastKPeriod: 14, fastDPeriod: 3 }, { fastKPeriod: 1, fastDPeriod: 1 }, { fastKPeriod: 30, fastDPeriod: 7 }],
  read: fastStochasticPeriodsOf,
  lookback: fastStochasticLookback,
  warmup: (periods, tolerance) => finiteWarmup(fastStochasticLookback(periods), tolerance),
  writeBatch(periods, { high, low, close, length }, [fastK, fastD]) {
    fastStochasticColumns(high, low, close, length, periods.fastK, periods.fastD, fastK, fastD);
  },
  createStream: (periods) => new StochfStream(periods),
});
