import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { FastStochastic, fastStochasticColumns } from "./fast-stochastic";
import { GainLossStream, gainLossColumn, relativeStrength } from "./gain-loss-oscillator";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { fastStochasticLookback } from "./stochf";
import { ToleranceScale } from "./tolerance-scale";
import { checkTolerance, decayWarmup } from "./warmup";

/** TA-Lib's MA type code for the simple moving average (TA_MAType_SMA). */
const TALIB_SMA = 0;

/**
 * Narrowest RSI range (in RSI points, over fastKPeriod bars) for which the warm-up keeps fast %K within tolerance:
 * %K divides by that range, so an RSI error e becomes 100·e/range. Below it (prices flat for fastKPeriod bars, where
 * the range is rounding noise) %K depends on the history's start, in TA-Lib as here.
 */
const NARROWEST_RSI_RANGE = 1e-4;

/** The three periods, in bars. */
interface StochRsiPeriods {
  readonly rsi: number;
  readonly fastK: number;
  readonly fastD: number;
}

function periodsOf(parameters: IndicatorParameters): StochRsiPeriods {
  return {
    rsi: integerParameter(parameters, "period"),
    fastK: integerParameter(parameters, "fastKPeriod"),
    fastD: integerParameter(parameters, "fastDPeriod"),
  };
}

/** TA-Lib's STOCHRSI lookback: RSI's (period) plus STOCHF's. */
function lookbackOf(periods: StochRsiPeriods): number {
  return periods.rsi + fastStochasticLookback(periods);
}

/** Streaming StochRSI: RSI's stream, its values fed as high, low and close of a fast stochastic. */
class StochRsiStream implements IndicatorStream {
  private readonly output = new Float64Array(2);
  private readonly previewed = new Float64Array(2);
  private readonly rsi: GainLossStream;
  private readonly stochastic: FastStochastic;
  private readonly lookback: number;
  count = 0;

  constructor(periods: StochRsiPeriods) {
    this.rsi = new GainLossStream(periods.rsi, relativeStrength);
    this.stochastic = new FastStochastic(periods.fastK, periods.fastD);
    this.lookback = lookbackOf(periods);
  }

  update(bar: StreamInput): Float64Array {
    const row = this.count++;
    const rsi = this.rsi.update(bar)[0];
    const { stochastic } = this;
    // The stochastic starts with RSI's first value (TA-Lib runs STOCHF on the RSI output).
    if (rsi === rsi) stochastic.next(rsi, rsi, rsi);
    const defined = row >= this.lookback;
    this.output[0] = defined ? stochastic.fastK : NaN;
    this.output[1] = defined ? stochastic.fastD : NaN;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const previewed = this.previewed;
    if (this.count < this.lookback) {
      previewed.fill(NaN);
      return previewed;
    }
    const rsi = this.rsi.preview(bar)[0];
    const { stochastic } = this;
    stochastic.peek(rsi, rsi, rsi);
    previewed[0] = stochastic.peekedFastK;
    previewed[1] = stochastic.peekedFastD;
    return previewed;
  }
}

/**
 * Stochastic RSI (Chande and Kroll): the fast stochastic of RSI(period): fast %K = 100 × (RSI - lowest RSI) /
 * (highest RSI - lowest RSI) over `fastKPeriod` bars (0 for a flat window), fast %D = SMA(fastDPeriod) of fast %K.
 * Parameters: `period` (RSI's bars, default 14, [2, 100000]), `fastKPeriod` (default 5), `fastDPeriod` (default 3),
 * each [1, 100000]. Outputs `fastK`, `fastD` in [0, 100], defined from row period + fastKPeriod + fastDPeriod - 2.
 * Warm-up: RSI's decay, to a tolerance NARROWEST_RSI_RANGE / 100 finer (the stochastic divides by the RSI's range).
 */
export const stochrsi: IndicatorDefinition = defineIndicator({
  id: "stochrsi",
  name: "Stochastic RSI",
  description:
    "Momentum oscillator from 0 to 100: where RSI sits in its own recent range (fastK), and its short average (fastD). More sensitive than RSI; above 80 reads overbought, below 20 oversold.",
  source: "Chande and Kroll 1994; matches TA-Lib TA_STOCHRSI with SMA smoothing (TA_STOCHF over TA_RSI).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [
    periodParameter("period", "Number of bars of RSI's Wilder smoothing.", 14),
    periodParameter("fastKPeriod", "Bars of RSI's range for fast %K.", 5, 1),
    periodParameter("fastDPeriod", "Bars of the SMA turning fast %K into fast %D.", 3, 1),
  ],
  inputs: [PriceField.CLOSE],
  outputs: [
    { name: "fastK", description: "Fast %K of RSI, from 0 (RSI at its range's low) to 100 (at its high).", scale: ToleranceScale.OSCILLATOR_100 },
    { name: "fastD", description: "SMA of fast %K, from 0 to 100.", scale: ToleranceScale.OSCILLATOR_100 },
  ],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "STOCHRSI",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period", optInFastK_Period: "fastKPeriod", optInFastD_Period: "fastDPeriod" },
    fixedOptions: { optInFastD_MAType: TALIB_SMA },
    outputs: ["outFastK", "outFastD"],
  },
  testCases: [{}, { period: 2, fastKPeriod: 1, fastDPeriod: 1 }, { period: 30, fastKPeriod: 14, fastDPeriod: 3 }],
  read: periodsOf,
  lookback: lookbackOf,
  warmup(periods, tolerance) {
    checkTolerance(tolerance);
    return decayWarmup(lookbackOf(periods), (periods.rsi - 1) / periods.rsi, (tolerance * NARROWEST_RSI_RANGE) / 100);
  },
  writeBatch(periods, { close, length }, [fastK, fastD]) {
    // TA_STOCHF over RSI's column from its first value on, as the stream feeds it.
    if (length <= periods.rsi) return;
    const rsi = new Float64Array(length);
    gainLossColumn(close, length, periods.rsi, relativeStrength, rsi);
    const from = periods.rsi;
    const values = rsi.subarray(from);
    fastStochasticColumns(values, values, values, length - from, periods.fastK, periods.fastD, fastK.subarray(from), fastD.subarray(from));
  },
  createStream: (periods) => new StochRsiStream(periods),
});
