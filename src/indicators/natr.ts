import { PriceField } from "../domain/bar";
import { atrColumn, AtrStream } from "./atr";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** TA-Lib's TA_EPSILON: a close this near 0 gives 0 instead of a division. */
const EPSILON = 1e-14;

/** ATR as a percentage of the close, in TA-Lib's order: (atr / close) * 100. */
function normalized(atr: number, close: number): number {
  return -EPSILON < close && close < EPSILON ? 0 : (atr / close) * 100;
}

/** Streaming NATR: the ATR stream's value over the bar's close. */
class NatrStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly atr: AtrStream;

  constructor(period: number) {
    this.atr = new AtrStream(period);
  }

  get count(): number {
    return this.atr.count;
  }

  update(bar: StreamInput): Float64Array {
    const [atr] = this.atr.update(bar);
    this.output[0] = Number.isNaN(atr) ? NaN : normalized(atr, bar.close);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const [atr] = this.atr.preview(bar);
    this.previewed[0] = Number.isNaN(atr) ? NaN : normalized(atr, bar.close);
    return this.previewed;
  }
}

/**
 * Normalized Average True Range: ATR (Wilder's smoothing of the true range, as `atr`) divided by the bar's close, in
 * percent. Parameters: `period` (bars, default 14, [2, 100000]; TA-Lib's period 1 returns the raw true range
 * instead, so it is not offered). Output `value` in percent of the close, defined from row `period`. Warm-up as ATR.
 */
export const natr: IndicatorDefinition = defineIndicator({
  id: "natr",
  name: "Normalized Average True Range",
  description: "Volatility: the average true range as a percentage of the close, comparable across price levels and instruments.",
  source: "ATR (Wilder 1978) over the close; matches TA-Lib TA_NATR.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [{ name: "value", description: "Average true range in percent of the close.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "NATR",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance),
  writeBatch({ period }, columns, [value]) {
    atrColumn(columns.high, columns.low, columns.close, columns.length, period, value);
    for (let i = period; i < columns.length; i++) value[i] = normalized(value[i], columns.close[i]);
  },
  createStream: ({ period }) => new NatrStream(period),
});
