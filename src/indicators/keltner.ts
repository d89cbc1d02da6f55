import { type Bar, PriceField } from "../domain/bar";
import { AtrStream } from "./atr";
import { defineIndicator } from "./batch";
import { EmaState } from "./exponential-average";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter, realParameter } from "./parameters";
import { multipleParameter, periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** High, low and close of the worked examples (a rise with a dip), oldest first. */
const WORKED_BARS: readonly Partial<Bar>[] = [
  [10.2, 9.6, 10.0], [10.6, 9.9, 10.4], [10.5, 10.0, 10.2], [11.0, 10.1, 10.9], [11.5, 10.8, 11.3], [11.4, 10.9, 11.1], [11.2, 10.4, 10.6],
  [11.0, 10.5, 10.8], [11.7, 10.9, 11.5], [12.2, 11.3, 12.0], [12.1, 11.5, 11.7], [12.0, 11.4, 11.9], [12.6, 11.8, 12.4], [12.5, 12.0, 12.2],
].map(([high, low, close]) => ({ high, low, close }));

/** Keltner's settings. */
interface KeltnerSettings {
  readonly period: number;
  readonly atrPeriod: number;
  readonly multiplier: number;
}

function settingsOf(parameters: IndicatorParameters): KeltnerSettings {
  return {
    period: integerParameter(parameters, "period"),
    atrPeriod: integerParameter(parameters, "atrPeriod"),
    multiplier: realParameter(parameters, "multiplier"),
  };
}

/** First row where both the EMA (period - 1) and the ATR (atrPeriod) are defined. */
function lookbackOf({ period, atrPeriod }: KeltnerSettings): number {
  return Math.max(period - 1, atrPeriod);
}

/** Streaming Keltner channels: TA-Lib's EMA of the close and ATR of the bar, combined per bar. */
class KeltnerStream implements IndicatorStream {
  private readonly output = new Float64Array(3);
  private readonly previewed = new Float64Array(3);
  private readonly average: EmaState;
  private readonly range: AtrStream;
  count = 0;

  constructor(private readonly settings: KeltnerSettings) {
    this.average = new EmaState(settings.period, emaFactor(settings.period));
    this.range = new AtrStream(settings.atrPeriod);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    return this.combine(this.average.next(bar.close), this.range.update(bar)[0], this.output);
  }

  preview(bar: StreamInput): Float64Array {
    return this.combine(this.average.peek(bar.close), this.range.preview(bar)[0], this.previewed);
  }

  /** upper, middle, lower into `into`; NaN until both parts are defined. */
  private combine(middle: number, range: number, into: Float64Array): Float64Array {
    if (middle !== middle || range !== range) {
      into.fill(NaN);
      return into;
    }
    const offset = this.settings.multiplier * range;
    into[0] = middle + offset;
    into[1] = middle;
    into[2] = middle - offset;
    return into;
  }
}

/**
 * Keltner channels as Linda Raschke's modern version defines them: middle = EMA(period) of the close, upper/lower =
 * middle ± multiplier × ATR(atrPeriod), EMA seeded with the mean of its first `period` closes and ATR with Wilder's
 * smoothing (both as TA-Lib's EMA and ATR). Parameters: `period` (bars, default 20, [2, 100000]), `atrPeriod` (bars,
 * default 10, [1, 100000]), `multiplier` (default 2, [0.01, 100]). Outputs `upper`, `middle`, `lower` in the price's
 * unit, defined from row max(period - 1, atrPeriod). Warm-up: the slower of the two recursions.
 */
export const keltner: IndicatorDefinition = defineIndicator({
  id: "keltner",
  name: "Keltner Channels",
  description:
    "Volatility envelope: an EMA of the close with bands a multiple of the average true range above and below. Smoother than Bollinger Bands; closes outside the channel mark strong moves.",
  source: "Chester Keltner 1960, as revised by Linda Raschke (EMA and ATR); EMA and ATR with TA-Lib's arithmetic.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [
    periodParameter("period", "Number of bars of the EMA of the close (the middle line).", 20),
    periodParameter("atrPeriod", "Number of bars of the average true range.", 10, 1),
    multipleParameter("multiplier", "Band distance from the middle, in ATRs (both bands).", 2),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [
    { name: "upper", description: "Middle line plus the ATR multiple, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "middle", description: "EMA of the close, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "lower", description: "Middle line minus the ATR multiple, in the price's unit.", scale: ToleranceScale.VALUE },
  ],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      'StockCharts ChartSchool, "Keltner Channels": middle line = 20-day EMA of the close, channels = middle ± 2 × ATR(10) ' +
      "(the EMA seeded with an SMA, the ATR with Wilder's smoothing from a plain mean). Values below computed with exact fractions " +
      "from that definition, independently of this module.",
    cases: [
      {
        parameters: { period: 5, atrPeriod: 3, multiplier: 2 },
        bars: WORKED_BARS,
        expected: {
          upper: [
            null, null, null, null, 11.96, 12.006666666666666, 12.071111111111112, 11.98074074074074, 12.420493827160493, 12.880329218106995,
            12.886886145404663, 12.957924096936443, 13.305282731290962, 13.270188487527308,
          ],
          middle: [
            null, null, null, null, 10.56, 10.74, 10.693333333333333, 10.72888888888889, 10.985925925925926, 11.32395061728395, 11.449300411522634,
            11.599533607681757, 11.866355738454503, 11.977570492303002,
          ],
          lower: [
            null, null, null, null, 9.16, 9.473333333333333, 9.315555555555555, 9.477037037037038, 9.551358024691359, 9.767572016460905,
            10.011714677640603, 10.241143118427068, 10.427428745618046, 10.684952497078697,
          ],
        },
      },
      {
        parameters: { period: 3, atrPeriod: 5, multiplier: 1.5 },
        bars: WORKED_BARS,
        expected: {
          upper: [null, null, null, null, null, 12.0025, 11.83825, 11.778725, 12.2020425, 12.68616525, 12.706197825, 12.8035910725, 13.15218926425, 13.146409614525],
          middle: [null, null, null, null, null, 11.0125, 10.80625, 10.803125, 11.1515625, 11.57578125, 11.637890625, 11.7689453125, 12.08447265625, 12.142236328125],
          lower: [null, null, null, null, null, 10.0225, 9.77425, 9.827525, 10.1010825, 10.46539725, 10.569583425, 10.7342995525, 11.01675604825, 11.138063041725],
        },
      },
    ],
  },
  testCases: [{}, { period: 2, atrPeriod: 1, multiplier: 0.5 }, { period: 50, atrPeriod: 20, multiplier: 3 }],
  read: settingsOf,
  lookback: lookbackOf,
  warmup({ period, atrPeriod }, tolerance) {
    return Math.max(decayWarmup(period - 1, 1 - emaFactor(period), tolerance), decayWarmup(atrPeriod, (atrPeriod - 1) / atrPeriod, tolerance));
  },
  writeBatch(settings, columns, [upper, middle, lower]) {
    const stream = new KeltnerStream(settings);
    const bar = { openTime: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
    for (let i = 0; i < columns.length; i++) {
      bar.high = columns.high[i];
      bar.low = columns.low[i];
      bar.close = columns.close[i];
      const [u, m, l] = stream.update(bar);
      upper[i] = u;
      middle[i] = m;
      lower[i] = l;
    }
  },
  createStream: (settings) => new KeltnerStream(settings),
});
