import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { ContiguousWindow } from "./contiguous-window";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** TA-Lib's 180.0 / PI, the same double. */
const DEGREES_PER_RADIAN = 180 / Math.PI;

/** What each indicator of the family takes from the least-squares line through the window. */
enum RegressionOutput {
  /** The line's value at the newest bar: b + m·(period - 1). */
  VALUE,
  /** The slope m, in price per bar. */
  SLOPE,
  /** The intercept b: the line's value at the oldest bar of the window. */
  INTERCEPT,
  /** The line extended one bar ahead: b + m·period (time series forecast). */
  FORECAST,
  /** The slope as an angle in degrees: atan(m) · 180 / π. */
  ANGLE,
}

/**
 * The least-squares line through a window of `period` closes, refitted at every bar from the window (no running sums,
 * so no drift), in TA-Lib's order: x counts bars back from the newest (the oldest has x = period - 1), sums taken
 * oldest first, m = (period·Σxy - Σx·Σy) / ((Σx)² - period·Σx²), b = (Σy - m·Σx) / period.
 * O(period) per bar, as TA-Lib. Σx and Σx² are exact here; TA-Lib computes them in 32-bit integers, which overflow
 * for periods above 1,290. The batch form fits windows of the close column in place; the stream keeps its closes in a
 * ContiguousWindow and fits the same way, so both agree bit for bit.
 */
class RegressionFit {
  private readonly sumX: number;
  private readonly divisor: number;
  slope = NaN;
  intercept = NaN;

  constructor(private readonly period: number) {
    this.sumX = period * (period - 1) * 0.5;
    const sumXSquares = (period * (period - 1) * (2 * period - 1)) / 6;
    this.divisor = this.sumX * this.sumX - period * sumXSquares;
  }

  /** Fits the window `closes[end - period .. end)` (oldest first). */
  fit(closes: Float64Array, end: number): void {
    const { period } = this;
    let sumXY = 0;
    let sumY = 0;
    for (let x = period - 1, row = end - period; x >= 0; x--, row++) {
      const y = closes[row];
      sumY += y;
      sumXY += x * y;
    }
    this.slope = (period * sumXY - this.sumX * sumY) / this.divisor;
    this.intercept = (sumY - this.slope * this.sumX) / period;
  }

  /** The output `kind` of the last fit. */
  output(kind: RegressionOutput): number {
    switch (kind) {
      case RegressionOutput.VALUE:
        return this.intercept + this.slope * (this.period - 1);
      case RegressionOutput.SLOPE:
        return this.slope;
      case RegressionOutput.INTERCEPT:
        return this.intercept;
      case RegressionOutput.FORECAST:
        return this.intercept + this.slope * this.period;
      case RegressionOutput.ANGLE:
        return Math.atan(this.slope) * DEGREES_PER_RADIAN;
    }
  }
}

/** Streaming form of one regression output; the batch form runs the same `RegressionFit` on the close column. */
class RegressionStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly closes: ContiguousWindow;
  private readonly line: RegressionFit;
  count = 0;

  constructor(
    private readonly period: number,
    private readonly kind: RegressionOutput,
  ) {
    this.closes = new ContiguousWindow(period);
    this.line = new RegressionFit(period);
  }

  update(bar: StreamInput): Float64Array {
    const { closes, line } = this;
    closes.push(bar.close);
    if (this.count++ < this.period - 1) {
      this.output[0] = NaN;
    } else {
      line.fit(closes.values, closes.end);
      this.output[0] = line.output(this.kind);
    }
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const { closes, line } = this;
    if (this.count < this.period - 1) {
      this.previewed[0] = NaN;
    } else {
      closes.stage(bar.close);
      line.fit(closes.values, closes.end + 1);
      this.previewed[0] = line.output(this.kind);
    }
    return this.previewed;
  }
}

/** One member of the family. */
function regressionIndicator(
  id: string,
  talibFunction: string,
  kind: RegressionOutput,
  text: { name: string; description: string; output: string },
  scale: ToleranceScale,
  lastBitsDiffer?: string,
): IndicatorDefinition {
  return defineIndicator({
    id,
    name: text.name,
    description: text.description,
    source: `Least-squares line through the window; matches TA-Lib TA_${talibFunction} (bit for bit for periods up to 1,290, where TA-Lib's integer sums overflow).`,
    version: 1,
    group: IndicatorGroup.STATISTICS,
    parameters: [periodParameter("period", "Number of bars the line is fitted to.", 14)],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: text.output, scale }],
    reference: {
      kind: ReferenceKind.TALIB,
      function: talibFunction,
      inputs: { inReal: PriceField.CLOSE },
      options: { optInTimePeriod: "period" },
      outputs: ["outReal"],
      lastBitsDiffer,
    },
    testCases: [{}, { period: 2 }, { period: 100 }, { period: 1_290 }],
    read: readPeriod,
    lookback: ({ period }) => period - 1,
    warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
    writeBatch({ period }, { close, length }, [value]) {
      const line = new RegressionFit(period);
      for (let end = period; end <= length; end++) {
        line.fit(close, end);
        value[end - 1] = line.output(kind);
      }
    },
    createStream: ({ period }) => new RegressionStream(period, kind),
  });
}

/**
 * Linear regression: the least-squares line through the last `period` closes, at the newest bar (rows used
 * [i - period + 1 .. i], written at row i). Parameters: `period` (bars, default 14, [2, 100000]). Output `value` in
 * the price's unit, defined from row period - 1.
 */
export const linearreg = regressionIndicator(
  "linearreg",
  "LINEARREG",
  RegressionOutput.VALUE,
  { name: "Linear Regression", description: "Trend: the end point of the least-squares line through the window; a moving average without lag for a straight trend.", output: "The fitted line at the newest bar, in the price's unit." },
  ToleranceScale.VALUE,
);

/** Slope of the least-squares line through the last `period` closes, in price per bar. Parameters as `linearreg`. */
export const linearregSlope = regressionIndicator(
  "linearregslope",
  "LINEARREG_SLOPE",
  RegressionOutput.SLOPE,
  { name: "Linear Regression Slope", description: "Trend: how much the fitted line rises per bar, in price units.", output: "Slope of the fitted line, in price per bar." },
  // Crosses zero in price units: judged on the price's scale.
  ToleranceScale.PRICE,
);

/** The fitted line's value at the oldest bar of the window. Parameters as `linearreg`. */
export const linearregIntercept = regressionIndicator(
  "linearregintercept",
  "LINEARREG_INTERCEPT",
  RegressionOutput.INTERCEPT,
  { name: "Linear Regression Intercept", description: "Trend: where the fitted line starts, at the oldest bar of the window.", output: "The fitted line at the oldest bar of the window, in the price's unit." },
  ToleranceScale.VALUE,
);

/** Time series forecast: the fitted line extended one bar past the newest. Parameters as `linearreg`. */
export const tsf = regressionIndicator(
  "tsf",
  "TSF",
  RegressionOutput.FORECAST,
  { name: "Time Series Forecast", description: "Trend: the least-squares line through the window extended to the next bar.", output: "The fitted line one bar ahead, in the price's unit." },
  ToleranceScale.VALUE,
);

/**
 * The fitted line's slope as an angle: atan(slope) · 180 / π degrees, in (-90, 90), slope in price per bar (so the angle
 * depends on the price's unit). Parameters as `linearreg`.
 */
export const linearregAngle = regressionIndicator(
  "linearregangle",
  "LINEARREG_ANGLE",
  RegressionOutput.ANGLE,
  { name: "Linear Regression Angle", description: "Trend: the fitted line's slope as an angle in degrees (price per bar, so it depends on the price's unit).", output: "Angle of the fitted line, in degrees." },
  ToleranceScale.VALUE,
  "JavaScript's Math.atan and C's atan may differ by one unit in the last place, so the angle can differ from TA-Lib's in its last bit (about 1e-14 relative).",
);
