import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { chandeMomentum, GainLossStream, gainLossColumn } from "./gain-loss-oscillator";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/**
 * Chande Momentum Oscillator of the close: 100 × (avgGain − avgLoss) / (avgGain + avgLoss), the averages smoothed
 * as RSI's (Wilder, k = 1/period, seeded with the plain averages of the first `period` changes), as TA-Lib computes it.
 * Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in [-100, 100], defined from row `period`
 * (0 when there was no movement at all). Warm-up as RSI's.
 */
export const cmo: IndicatorDefinition = defineIndicator({
  id: "cmo",
  name: "Chande Momentum Oscillator",
  description: "Momentum oscillator from -100 to 100: recent up-moves minus down-moves over all moves. Above 50 reads overbought, below -50 oversold.",
  source: "Chande and Kroll 1994; matches TA-Lib TA_CMO (default compatibility: Wilder-smoothed gains and losses, not Chande's plain sums).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars of Wilder smoothing.", 14)],
  inputs: [PriceField.CLOSE],
  outputs: [{ name: "value", description: "CMO from -100 (only losses) to 100 (only gains).", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "CMO",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 30 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => decayWarmup(period, (period - 1) / period, tolerance),
  writeBatch({ period }, columns, [value]) {
    gainLossColumn(columns.close, columns.length, period, chandeMomentum, value);
  },
  createStream: ({ period }) => new GainLossStream(period, chandeMomentum),
});
