import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { GainLossStream, gainLossColumn, relativeStrength } from "./gain-loss-oscillator";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/**
 * Relative Strength Index of the close: 100 * avgGain / (avgGain + avgLoss) with Wilder's smoothing
 * (k = 1/period), seeded with the plain averages of the first `period` changes.
 * Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in [0, 100], defined from row
 * `period` (0 when there was no movement at all, as TA-Lib).
 * Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln((period - 1) / period)), relative to the
 * 0..100 scale.
 */
export const rsi: IndicatorDefinition = defineIndicator({
  id: "rsi",
  name: "Relative Strength Index",
  description:
    "Momentum oscillator from 0 to 100: the share of recent up-moves in all moves. Above 70 reads overbought, below 30 oversold.",
  source: "Wilder 1978; matches TA-Lib TA_RSI (default compatibility, no unstable period).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "RSI from 0 (only losses) to 100 (only gains).", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "RSI",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
    regtest: { function: "RSI", parameters: { timePeriod: "period" }, outputs: ["real"] },
  },
  testCases: [{}, { period: 2 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance),
  writeBatch({ period }, columns, [value]) {
    gainLossColumn(columns.close, columns.length, period, relativeStrength, value);
  },
  createStream: ({ period }) => new GainLossStream(period, relativeStrength),
});
