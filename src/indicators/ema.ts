import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { EmaState, emaColumn } from "./exponential-average";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** Streaming EMA over an `EmaState`. */
class EmaStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly state: EmaState;
  count = 0;

  constructor(period: number) {
    this.state = new EmaState(period, emaFactor(period));
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.state.next(bar.close);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.state.peek(bar.close);
    return this.previewed;
  }
}

/**
 * Exponential Moving Average of the close with k = 2 / (period + 1), seeded with the SMA of the first
 * `period` closes (TA-Lib's default). Parameters: `period` (bars, default 20, [2, 100000]).
 * Output `value` in the price's unit, defined from row period - 1.
 * Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln(1 - k)) (see `decayWarmup`).
 */
export const ema: IndicatorDefinition = defineIndicator({
  id: "ema",
  name: "Exponential Moving Average",
  description:
    "Average of the closes with weights decaying by (1 - k) per bar, k = 2 / (period + 1). Reacts faster than an SMA of the same period.",
  source: "Classic EMA seeded with an SMA; matches TA-Lib TA_EMA (default compatibility).",
  version: 1,
  group: IndicatorGroup.TREND,
  parameters: [periodParameter("period", "Number of bars; sets k = 2 / (period + 1) and the seed length.", 20)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "The exponential average of the close, in the price's unit.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "EMA",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
    regtest: { function: "EMA", parameters: { timePeriod: "period" }, outputs: ["real"] },
  },
  testCases: [{}, { period: 2 }, { period: 50 }, { period: 200 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => decayWarmup(period - 1, 1 - emaFactor(period), tolerance),
  writeBatch({ period }, columns, [value]) {
    emaColumn(columns.close, columns.length, 0, period, emaFactor(period), value);
  },
  createStream: ({ period }) => new EmaStream(period),
});
