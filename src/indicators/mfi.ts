import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { ValueStream } from "./value-stream";
import { finiteWarmup } from "./warmup";

/** MFI from the window's positive and negative money flow; 0 when their total is below 1 (TA-Lib's threshold). */
function moneyFlowIndexOf(positive: number, negative: number): number {
  const total = positive + negative;
  return total < 1 ? 0 : 100 * (positive / total);
}

/**
 * The last `period` bars' money flows, split by the typical price's direction, with their running sums in TA-Lib's
 * TA_MFI order: typical price ((high + low) + close) / 3, flow = typical price × volume, positive when the typical
 * price rose, negative when it fell, neither when unchanged; each bar first subtracts the flows leaving the window,
 * then adds its own. Batch and stream both run it.
 */
class MoneyFlowWindow {
  private readonly positives: Float64Array;
  private readonly negatives: Float64Array;
  private slot = 0;
  private previousTypical = NaN;
  private positiveSum = 0;
  private negativeSum = 0;
  /** Bars fed so far. */
  count = 0;

  /** @param period window length in bars (money-flow changes), >= 1 */
  constructor(private readonly period: number) {
    this.positives = new Float64Array(period);
    this.negatives = new Float64Array(period);
  }

  /** Feeds the next bar; returns MFI, NaN for the first `period` bars. */
  next(high: number, low: number, close: number, volume: number): number {
    const row = this.count++;
    const typical = (high + low + close) / 3;
    const change = typical - this.previousTypical;
    this.previousTypical = typical;
    if (row === 0) return NaN;
    const slot = this.slot;
    if (row > this.period) {
      this.positiveSum -= this.positives[slot];
      this.negativeSum -= this.negatives[slot];
    }
    const flow = typical * volume;
    const positive = change > 0 ? flow : 0;
    const negative = change < 0 ? flow : 0;
    this.positives[slot] = positive;
    this.negatives[slot] = negative;
    if (change > 0) this.positiveSum += positive;
    if (change < 0) this.negativeSum += negative;
    this.slot = slot + 1 === this.period ? 0 : slot + 1;
    return row < this.period ? NaN : moneyFlowIndexOf(this.positiveSum, this.negativeSum);
  }

  /** What `next` would return now, without changing the state. */
  peek(high: number, low: number, close: number, volume: number): number {
    const row = this.count;
    if (row < this.period) return NaN;
    const typical = (high + low + close) / 3;
    const change = typical - this.previousTypical;
    const flow = typical * volume;
    let positiveSum = this.positiveSum;
    let negativeSum = this.negativeSum;
    if (row > this.period) {
      positiveSum -= this.positives[this.slot];
      negativeSum -= this.negatives[this.slot];
    }
    if (change > 0) positiveSum += flow;
    if (change < 0) negativeSum += flow;
    return moneyFlowIndexOf(positiveSum, negativeSum);
  }
}

/**
 * Money Flow Index: RSI of money flow. Typical price tp = (high + low + close) / 3, flow = tp × volume, counted as
 * positive when tp rose against the previous bar, negative when it fell; MFI = 100 × positive / (positive + negative)
 * over the last `period` bars (0 when the total flow is below 1, as TA-Lib).
 * Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in [0, 100], defined from row `period`.
 * Running sums (TA-Lib's), so the last bits depend on where the sums started, as for SMA.
 */
export const mfi: IndicatorDefinition = defineIndicator({
  id: "mfi",
  name: "Money Flow Index",
  description: "Volume-weighted RSI from 0 to 100: the share of money flow on bars whose typical price rose. Above 80 reads overbought, below 20 oversold.",
  source: "Quong and Soudack 1989; matches TA-Lib TA_MFI.",
  version: 1,
  group: IndicatorGroup.VOLUME,
  parameters: [periodParameter("period", "Number of bars of money flow summed.", 14)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE, PriceField.VOLUME],
  outputs: [{ name: "value", description: "MFI from 0 (only falling flow) to 100 (only rising flow).", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "MFI",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE, volume: PriceField.VOLUME },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period,
  warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
  writeBatch({ period }, { high, low, close, volume, length }, [value]) {
    const window = new MoneyFlowWindow(period);
    for (let i = 0; i < length; i++) value[i] = window.next(high[i], low[i], close[i], volume[i]);
  },
  createStream: ({ period }) =>
    new ValueStream(
      new MoneyFlowWindow(period),
      (window, bar) => window.next(bar.high, bar.low, bar.close, bar.volume),
      (window, bar) => window.peek(bar.high, bar.low, bar.close, bar.volume),
    ),
});
