import { type Bar, PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { SmaState } from "./simple-average";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** High, low and close of the worked examples (a rise with a dip), oldest first. */
export const RANGE_WORKED_BARS: readonly Partial<Bar>[] = [
  [10.2, 9.6, 10.0], [10.6, 9.9, 10.4], [10.5, 10.0, 10.2], [11.0, 10.1, 10.9], [11.5, 10.8, 11.3],
  [11.4, 10.9, 11.1], [11.2, 10.4, 10.6], [11.0, 10.5, 10.8], [11.7, 10.9, 11.5], [12.2, 11.3, 12.0],
].map(([high, low, close]) => ({ high, low, close }));

/**
 * A bar's range in percent of its close: (high - low) / close × 100, in that order. Prices are positive (bar
 * validation), so the value is finite and >= 0.
 */
export function rangePercent(high: number, low: number, close: number): number {
  return ((high - low) / close) * 100;
}

/** Streaming ARP: TA-Lib's SMA running sum (`SmaState`) of the bars' range percents; the batch form runs the same. */
class ArpStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly average: SmaState;
  count = 0;

  constructor(period: number) {
    this.average = new SmaState(period);
  }

  update(bar: StreamInput): Float64Array {
    this.count++;
    this.output[0] = this.average.next(rangePercent(bar.high, bar.low, bar.close));
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.average.peek(rangePercent(bar.high, bar.low, bar.close));
    return this.previewed;
  }
}

/**
 * Average Range Percent (qlir's ARP): the mean over the last `period` bars of each bar's range in percent of its close,
 * value[i] = (1 / period) × Σ_{j = i - period + 1 .. i} (high[j] - low[j]) / close[j] × 100.
 * Rows used [i - period + 1 .. i] (lookback period - 1), written at row i.
 * Parameters: `period` (bars, default 14, [1, 100000]). Inputs high, low, close. Output `value` in percent (1.5 is a
 * bar range of 1.5 % of the close on average), defined from row period - 1. The mean is TA-Lib's SMA running sum
 * (add the newest, divide, subtract the leaving), so its last bits depend on the start row (~1e-12 relative, as SMA).
 * Warm-up = lookback (a finite window). Group VOLATILITY: the bars' typical size relative to price, comparable across
 * instruments and price levels (unlike ATR), without true range's gap to the previous close.
 */
export const arp: IndicatorDefinition = defineIndicator({
  id: "arp",
  name: "Average Range Percent",
  description:
    "Volatility: the mean over the last `period` bars (the current one included) of each bar's range (high − low) as a percentage of its close, value = mean((high − low) / close × 100); rows used [i − period + 1 .. i]. Comparable across instruments and price levels; unlike NATR it ignores gaps from the previous close.",
  source: "qlir's average range percent (arp) op: rolling mean of (high − low) / close × 100; the mean with TA-Lib's SMA running sum.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [periodParameter("period", "Number of bars averaged, the current one included.", 14, 1)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [{ name: "value", description: "Mean bar range in percent of the close.", scale: ToleranceScale.VALUE }],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "qlir (github.com/Trones21/qlir), average range percent: ARP = mean over N bars of (high − low) / close × 100, the current bar " +
      "included (Candela's brief of the op). Values below computed by hand from that definition (each bar's range over its close, " +
      "times 100, averaged over 3 and 5 bars), checked with exact fractions (Python's fractions.Fraction), independently of this module.",
    cases: [
      {
        parameters: { period: 3 },
        bars: RANGE_WORKED_BARS,
        expected: {
          value: [
            null, null, 5.877576671694319, 6.62987024967597, 6.451177261248469, 6.318691834645395, 6.082121527103995, 5.560434648484963,
            6.377773726693606, 6.362050456253355,
          ],
        },
      },
      {
        parameters: { period: 5 },
        bars: RANGE_WORKED_BARS,
        expected: {
          value: [null, null, null, null, 6.416860202902927, 6.117761103803828, 6.281041219914133, 6.226574988977314, 5.96650319001441, 6.227565136917065],
        },
      },
    ],
  },
  testCases: [{}, { period: 1 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, { high, low, close, length }, [value]) {
    const average = new SmaState(period);
    for (let i = 0; i < length; i++) value[i] = average.next(rangePercent(high[i], low[i], close[i]));
  },
  createStream: ({ period }) => new ArpStream(period),
});
