import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** Lambert's constant: scales the mean deviation so that most values fall within ±100. */
const LAMBERT = 0.015;

/** The typical price of a bar as TA-Lib adds it: (high + low + close) / 3. */
function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}

/**
 * The last `period` typical prices in TA-Lib's circular buffer: the bar of row r in slot r mod period, and every sum
 * taken over the slots in order 0 .. period - 1 (not oldest first), so the rounding is TA-Lib's. O(period) per bar,
 * as TA-Lib. Shared by the batch and stream forms.
 */
class TypicalPriceWindow {
  private readonly slots: Float64Array;
  /** Slot of the next bar. */
  private next = 0;

  constructor(private readonly period: number) {
    this.slots = new Float64Array(period);
  }

  /** Stores the bar's typical price; returns the CCI of the window ending with it. */
  push(typical: number): number {
    const slot = this.next;
    this.slots[slot] = typical;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    return this.cci(slot, typical);
  }

  /** The CCI `push(typical)` would return, without storing it. */
  peek(typical: number): number {
    return this.cci(this.next, typical);
  }

  /** CCI with `typical` in `slot`: (typical - mean) / (0.015 × mean absolute deviation); 0 when either part is 0. */
  private cci(slot: number, typical: number): number {
    const { slots, period } = this;
    let sum = 0;
    for (let j = 0; j < period; j++) sum += j === slot ? typical : slots[j];
    const average = sum / period;
    let deviation = 0;
    for (let j = 0; j < period; j++) deviation += Math.abs((j === slot ? typical : slots[j]) - average);
    const distance = typical - average;
    return distance !== 0 && deviation !== 0 ? distance / (LAMBERT * (deviation / period)) : 0;
  }
}

/** Streaming CCI; same arithmetic as the batch form. */
class CciStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly window: TypicalPriceWindow;
  count = 0;

  constructor(private readonly period: number) {
    this.window = new TypicalPriceWindow(period);
  }

  update(bar: StreamInput): Float64Array {
    const value = this.window.push(typicalPrice(bar.high, bar.low, bar.close));
    this.output[0] = this.count++ < this.period - 1 ? NaN : value;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.count < this.period - 1 ? NaN : this.window.peek(typicalPrice(bar.high, bar.low, bar.close));
    return this.previewed;
  }
}

/**
 * Commodity Channel Index: (typical price - its SMA) / (0.015 × mean absolute deviation of the typical prices from
 * that SMA) over the last `period` bars, typical price = (high + low + close) / 3 (rows used [i - period + 1 .. i],
 * written at row i); 0 when the bar sits on the average or the window has no deviation (as TA-Lib). Parameters:
 * `period` (bars, default 14, [2, 100000]). Output `value`, unbounded, mostly within ±100..±300, defined from row
 * period - 1.
 */
export const cci: IndicatorDefinition = defineIndicator({
  id: "cci",
  name: "Commodity Channel Index",
  description: "Momentum: how far the typical price is from its average, in units of its mean deviation. Above 100 reads strong, below -100 weak.",
  source: "Donald Lambert 1980; matches TA-Lib TA_CCI (the sums in TA-Lib's circular-buffer order).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [periodParameter("period", "Number of bars of the average and the mean deviation.", 14)],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  // Crosses zero and mostly lies within ±300: judged against 100, like the bounded oscillators. The sums' order depends
  // on the first bar, so values from different starts differ in the last bits of the average (~1e-12 of the CCI).
  outputs: [{ name: "value", description: "Commodity channel index.", scale: ToleranceScale.OSCILLATOR_100 }],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "CCI",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInTimePeriod: "period" },
    outputs: ["outReal"],
  },
  testCases: [{}, { period: 2 }, { period: 50 }],
  read: readPeriod,
  lookback: ({ period }) => period - 1,
  warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
  writeBatch({ period }, columns, [value]) {
    const window = new TypicalPriceWindow(period);
    const { high, low, close } = columns;
    for (let i = 0; i < columns.length; i++) {
      const cciValue = window.push(typicalPrice(high[i], low[i], close[i]));
      if (i >= period - 1) value[i] = cciValue;
    }
  },
  createStream: ({ period }) => new CciStream(period),
});
