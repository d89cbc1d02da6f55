import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { wilderNext } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { trueRange } from "./true-range";
import { decayWarmup } from "./warmup";

/**
 * Batch ATR in TA-Lib's TA_ATR order: true ranges from row 1, seed = plain mean of the first `period`
 * true ranges (rows 1..period), then Wilder's smoothing.
 */
export function atrColumn(high: Float64Array, low: Float64Array, close: Float64Array, length: number, period: number, out: Float64Array): void {
  if (length <= period) return;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRange(high[i], low[i], close[i - 1]);
  let atr = sum / period;
  out[period] = atr;
  for (let i = period + 1; i < length; i++) {
    atr = wilderNext(atr, trueRange(high[i], low[i], close[i - 1]), period);
    out[i] = atr;
  }
}

/** Streaming ATR; same arithmetic as `atrColumn` (also the core of NATR). */
export class AtrStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private previousClose = NaN;
  private atr = 0;
  count = 0;

  constructor(private readonly period: number) {}

  update(bar: StreamInput): Float64Array {
    const row = this.count++;
    const range = trueRange(bar.high, bar.low, this.previousClose);
    this.previousClose = bar.close;
    const period = this.period;
    if (row === 0) {
      this.output[0] = NaN;
    } else if (row < period) {
      this.atr += range;
      this.output[0] = NaN;
    } else if (row === period) {
      this.atr = (this.atr + range) / period;
      this.output[0] = this.atr;
    } else {
      this.atr = wilderNext(this.atr, range, period);
      this.output[0] = this.atr;
    }
    return this.output;
  }

  /** `update`'s last two branches without storing; NaN before row `period` (>= 1). */
  preview(bar: StreamInput): Float64Array {
    const row = this.count;
    const period = this.period;
    let value = NaN;
    if (row >= period) {
      const range = trueRange(bar.high, bar.low, this.previousClose);
      value = row === period ? (this.atr + range) / period : wilderNext(this.atr, range, period);
    }
    this.previewed[0] = value;
    return this.previewed;
  }
}

/**
 * Average True Range: Wilder's smoothing (k = 1/period) of the true range, seeded with the plain mean of
 * the first `period` true ranges (the first bar has no previous close, so the seed ends at row `period`).
 * Parameters: `period` (bars, default 14, [1, 100000]). Output `value` in the price's unit, defined from
 * row `period`. Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln((period - 1) / period)).
 */
export const atr: IndicatorDefinition = defineIndicator({
  id: "atr",
  name: "Average True Range",
  description:
    "Volatility: the smoothed size of a bar's full move including gaps from the previous close, in price units. Used to size stops and positions.",
  source: "Wilder 1978; matches TA-Lib TA_ATR (no unstable period).",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14, 1)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [{ name: "value", description: "Average true range, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "ATR",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 1 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance),
  writeBatch({ period }, columns, [value]) {
    atrColumn(columns.high, columns.low, columns.close, columns.length, period, value);
  },
  createStream: ({ period }) => new AtrStream(period),
});
