import { type Bar, PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";
import { WindowExtremes } from "./window-extremes";

/** High and low of the worked examples (the Keltner example's bars), oldest first. */
const WORKED_BARS: readonly Partial<Bar>[] = [
  [10.2, 9.6], [10.6, 9.9], [10.5, 10.0], [11.0, 10.1], [11.5, 10.8], [11.4, 10.9], [11.2, 10.4],
  [11.0, 10.5], [11.7, 10.9], [12.2, 11.3], [12.1, 11.5], [12.0, 11.4], [12.6, 11.8], [12.5, 12.0],
].map(([high, low]) => ({ high, low }));

/** The three windows, in bars. */
interface IchimokuPeriods {
  readonly tenkan: number;
  readonly kijun: number;
  readonly senkouB: number;
}

function periodsOf(parameters: IndicatorParameters): IchimokuPeriods {
  return {
    tenkan: integerParameter(parameters, "tenkanPeriod"),
    kijun: integerParameter(parameters, "kijunPeriod"),
    senkouB: integerParameter(parameters, "senkouBPeriod"),
  };
}

/** All four lines start when the longest window is full. */
function lookbackOf({ tenkan, kijun, senkouB }: IchimokuPeriods): number {
  return Math.max(tenkan, kijun, senkouB) - 1;
}

/** (highest high + lowest low) / 2 of a window. */
function midrange(extremes: WindowExtremes, peeked: boolean): number {
  return peeked ? (extremes.peekedHighest + extremes.peekedLowest) / 2 : (extremes.highest + extremes.lowest) / 2;
}

/** Streaming Ichimoku lines: three windows' extremes; the batch form runs the same stream. */
class IchimokuStream implements IndicatorStream {
  private readonly output = new Float64Array(4);
  private readonly previewed = new Float64Array(4);
  private readonly tenkan: WindowExtremes;
  private readonly kijun: WindowExtremes;
  private readonly senkouB: WindowExtremes;
  private readonly lookback: number;
  count = 0;

  constructor(periods: IchimokuPeriods) {
    this.tenkan = new WindowExtremes(periods.tenkan);
    this.kijun = new WindowExtremes(periods.kijun);
    this.senkouB = new WindowExtremes(periods.senkouB);
    this.lookback = lookbackOf(periods);
  }

  update(bar: StreamInput): Float64Array {
    this.tenkan.next(bar.high, bar.low);
    this.kijun.next(bar.high, bar.low);
    this.senkouB.next(bar.high, bar.low);
    return this.lines(this.count++ >= this.lookback, false, this.output);
  }

  preview(bar: StreamInput): Float64Array {
    this.tenkan.peek(bar.high, bar.low);
    this.kijun.peek(bar.high, bar.low);
    this.senkouB.peek(bar.high, bar.low);
    return this.lines(this.count >= this.lookback, true, this.previewed);
  }

  /** tenkan, kijun, senkou A and senkou B into `into`, or NaN before the lookback. */
  private lines(defined: boolean, peeked: boolean, into: Float64Array): Float64Array {
    if (!defined) {
      into.fill(NaN);
      return into;
    }
    const tenkan = midrange(this.tenkan, peeked);
    const kijun = midrange(this.kijun, peeked);
    into[0] = tenkan;
    into[1] = kijun;
    into[2] = (tenkan + kijun) / 2;
    into[3] = midrange(this.senkouB, peeked);
    return into;
  }
}

/**
 * Ichimoku Kinko Hyo's causal lines, each at the bar it is computed from: tenkan-sen = midrange (highest high + lowest
 * low) / 2 of `tenkanPeriod` bars, kijun-sen = midrange of `kijunPeriod` bars, senkou span A = (tenkan + kijun) / 2,
 * senkou span B = midrange of `senkouBPeriod` bars. Charts draw both senkou spans kijunPeriod bars ahead; shift them
 * when plotting, never when training. The chikou span (the close drawn kijunPeriod bars back) is not offered: read as
 * a feature it looks ahead. Parameters: `tenkanPeriod` (9), `kijunPeriod` (26), `senkouBPeriod` (52), bars, each
 * [1, 100000]. Outputs in the price's unit, all defined from row max(periods) - 1.
 */
export const ichimoku: IndicatorDefinition = defineIndicator({
  id: "ichimoku",
  name: "Ichimoku Kinko Hyo (causal lines)",
  description:
    "Trend system of midranges: tenkan (fast), kijun (slow), and the cloud's two spans, each at the bar it is computed from (no forward shift, no chikou: no value looks ahead).",
  source: "Goichi Hosoda, 1969; midranges of highs and lows.",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [
    periodParameter("tenkanPeriod", "Bars of the conversion line's midrange.", 9, 1),
    periodParameter("kijunPeriod", "Bars of the base line's midrange.", 26, 1),
    periodParameter("senkouBPeriod", "Bars of the leading span B's midrange.", 52, 1),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW],
  outputs: [
    { name: "tenkan", description: "Conversion line: midrange of tenkanPeriod bars, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "kijun", description: "Base line: midrange of kijunPeriod bars, in the price's unit.", scale: ToleranceScale.VALUE },
    { name: "senkouA", description: "Leading span A, (tenkan + kijun) / 2, at the bar it is computed from.", scale: ToleranceScale.VALUE },
    { name: "senkouB", description: "Leading span B: midrange of senkouBPeriod bars, at the bar it is computed from.", scale: ToleranceScale.VALUE },
  ],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      'StockCharts ChartSchool, "Ichimoku Cloud": conversion line = (9-period high + 9-period low) / 2, base line = the same over 26 ' +
      "periods, leading span A = (conversion + base) / 2, leading span B = (52-period high + 52-period low) / 2, both spans plotted 26 " +
      "periods ahead (here: unshifted). Values below computed with exact fractions from that definition, independently of this module.",
    cases: [
      {
        parameters: { tenkanPeriod: 3, kijunPeriod: 5, senkouBPeriod: 8 },
        bars: WORKED_BARS,
        expected: {
          tenkan: [null, null, null, null, null, null, null, 10.9, 11.05, 11.35, 11.55, 11.75, 12.0, 12.0],
          kijun: [null, null, null, null, null, null, null, 10.8, 11.05, 11.3, 11.3, 11.35, 11.75, 11.95],
          senkouA: [null, null, null, null, null, null, null, 10.85, 11.05, 11.325, 11.425, 11.55, 11.875, 11.975],
          senkouB: [null, null, null, null, null, null, null, 10.55, 10.8, 11.1, 11.15, 11.3, 11.5, 11.5],
        },
      },
      {
        parameters: { tenkanPeriod: 2, kijunPeriod: 4, senkouBPeriod: 6 },
        bars: WORKED_BARS,
        expected: {
          tenkan: [null, null, null, null, null, 11.15, 10.9, 10.8, 11.1, 11.55, 11.75, 11.75, 12.0, 12.2],
          kijun: [null, null, null, null, null, 10.75, 10.8, 10.95, 11.05, 11.3, 11.35, 11.55, 11.95, 12.0],
          senkouA: [null, null, null, null, null, 10.95, 10.85, 10.875, 11.075, 11.425, 11.55, 11.65, 11.975, 12.1],
          senkouB: [null, null, null, null, null, 10.55, 10.7, 10.75, 10.9, 11.3, 11.3, 11.3, 11.55, 11.75],
        },
      },
    ],
  },
  testCases: [{}, { tenkanPeriod: 1, kijunPeriod: 2, senkouBPeriod: 3 }, { tenkanPeriod: 20, kijunPeriod: 60, senkouBPeriod: 120 }],
  read: periodsOf,
  lookback: lookbackOf,
  warmup: (periods, tolerance) => finiteWarmup(lookbackOf(periods), tolerance),
  writeBatch(periods, columns, outputs) {
    const stream = new IchimokuStream(periods);
    const bar = { openTime: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
    for (let i = 0; i < columns.length; i++) {
      bar.high = columns.high[i];
      bar.low = columns.low[i];
      const lines = stream.update(bar);
      for (let j = 0; j < 4; j++) outputs[j][i] = lines[j];
    }
  },
  createStream: (periods) => new IchimokuStream(periods),
});
