import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind, type TalibReference } from "./reference";
import { rollingExtremeColumn } from "./rolling-extreme-column";
import { SlidingMaximum } from "./sliding-maximum";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/**
 * The rows of the highest high and the lowest low of the last period + 1 bars (the newest of equal extremes, as
 * TA-Lib), one bar at a time: SlidingMaximum deques on the highs and the negated lows, which keep the newest of equal
 * maxima at their head. The stream's; the batch form gets the same rows from `rollingExtremeColumn`.
 */
class ExtremeRows {
  private readonly highs: SlidingMaximum;
  private readonly negatedLows: SlidingMaximum;

  constructor(period: number) {
    this.highs = new SlidingMaximum(period + 1);
    this.negatedLows = new SlidingMaximum(period + 1);
  }

  /** Feeds a bar; returns nothing, the rows are read with `highRow` and `lowRow`. */
  next(high: number, low: number): void {
    this.highs.next(high);
    this.negatedLows.next(-low);
  }

  get highRow(): number {
    return this.highs.maximumRow;
  }

  get lowRow(): number {
    return this.negatedLows.maximumRow;
  }

  /** The rows `next(high, low)` would give, as [highRow, lowRow], without feeding the bar. */
  peek(high: number, low: number, into: Float64Array): void {
    into[0] = this.highs.peekRow(high);
    into[1] = this.negatedLows.peekRow(-low);
  }
}

/** Writes the outputs at bar `row` from the extremes' rows, in TA-Lib's order: factor × (period - bars since). */
type Writer = (outputs: Float64Array, row: number, highRow: number, lowRow: number, period: number) => void;

const writeLines: Writer = (outputs, row, highRow, lowRow, period) => {
  const factor = 100 / period;
  outputs[0] = factor * (period - (row - highRow));
  outputs[1] = factor * (period - (row - lowRow));
};

const writeOscillator: Writer = (outputs, _row, highRow, lowRow, period) => {
  outputs[0] = (100 / period) * (highRow - lowRow);
};

/** Streaming Aroon or its oscillator; same arithmetic as the batch form. */
class AroonStream implements IndicatorStream {
  private readonly output: Float64Array;
  private readonly previewed: Float64Array;
  private readonly rows = new Float64Array(2);
  private readonly extremes: ExtremeRows;
  count = 0;

  constructor(
    private readonly period: number,
    private readonly write: Writer,
    outputs: number,
  ) {
    this.extremes = new ExtremeRows(period);
    this.output = new Float64Array(outputs);
    this.previewed = new Float64Array(outputs);
  }

  update(bar: StreamInput): Float64Array {
    const row = this.count++;
    this.extremes.next(bar.high, bar.low);
    if (row < this.period) this.output.fill(NaN);
    else this.write(this.output, row, this.extremes.highRow, this.extremes.lowRow, this.period);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const row = this.count;
    if (row < this.period) return this.previewed.fill(NaN);
    this.extremes.peek(bar.high, bar.low, this.rows);
    this.write(this.previewed, row, this.rows[0], this.rows[1], this.period);
    return this.previewed;
  }
}

/** The definition shared by Aroon and the Aroon oscillator. */
function aroonIndicator(
  id: "aroon" | "aroonosc",
  write: Writer,
  text: { name: string; description: string },
  outputs: { name: string; description: string }[],
  talibOutputs: TalibReference["outputs"],
): IndicatorDefinition {
  return defineIndicator({
    id,
    name: text.name,
    description: text.description,
    source: `Tushar Chande 1995; matches TA-Lib TA_${id.toUpperCase()} (the newest of equal highs or lows counts).`,
    version: 1,
    group: IndicatorGroup.MOMENTUM,
    parameters: [periodParameter("period", "Number of bars looked back; the window holds period + 1 bars.", 14)],
    inputs: [PriceField.HIGH, PriceField.LOW],
    outputs: outputs.map((output) => ({ ...output, scale: ToleranceScale.OSCILLATOR_100 })),
    reference: {
      kind: ReferenceKind.TALIB,
      function: id.toUpperCase(),
      inputs: { high: PriceField.HIGH, low: PriceField.LOW },
      options: { optInTimePeriod: "period" },
      outputs: talibOutputs,
    },
    testCases: [{}, { period: 2 }, { period: 50 }],
    read: readPeriod,
    lookback: ({ period }) => period,
    warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
    writeBatch({ period }, { high, low, length }, values) {
      // The rows the stream's deques pick, from the batch kernel (the extremes' values are scratch).
      const extremes = new Float64Array(length);
      const highRows = new Float64Array(length);
      const lowRows = new Float64Array(length);
      rollingExtremeColumn(high, length, period + 1, 1, extremes, highRows);
      rollingExtremeColumn(low, length, period + 1, -1, extremes, lowRows);
      const row = new Float64Array(values.length);
      for (let i = period; i < length; i++) {
        write(row, i, highRows[i], lowRows[i], period);
        for (let output = 0; output < values.length; output++) values[output][i] = row[output];
      }
    },
    createStream: ({ period }) => new AroonStream(period, write, outputs.length),
  });
}

/**
 * Aroon: how recently the window's highest high (`up`) and lowest low (`down`) occurred, 100 × (period - bars
 * since) / period over the last period + 1 bars (rows used [i - period .. i], written at row i). Parameters:
 * `period` (bars, default 14, [2, 100000]). Outputs `up` and `down` in [0, 100], defined from row `period`.
 */
export const aroon: IndicatorDefinition = aroonIndicator(
  "aroon",
  writeLines,
  { name: "Aroon", description: "Trend: 100 when the highest high (up) or lowest low (down) is the current bar, falling to 0 as it ages out of the window." },
  [
    { name: "up", description: "Aroon up: recency of the highest high, 0 to 100." },
    { name: "down", description: "Aroon down: recency of the lowest low, 0 to 100." },
  ],
  ["outAroonUp", "outAroonDown"],
);

/**
 * Aroon oscillator: Aroon up minus Aroon down, 100 × (row of the highest high - row of the lowest low) / period.
 * Parameters as Aroon. Output `value` in [-100, 100], defined from row `period`.
 */
export const aroonosc: IndicatorDefinition = aroonIndicator(
  "aroonosc",
  writeOscillator,
  { name: "Aroon Oscillator", description: "Trend: Aroon up minus Aroon down; positive when the recent extreme is a high." },
  [{ name: "value", description: "Aroon up minus Aroon down, -100 to 100." }],
  ["outReal"],
);
