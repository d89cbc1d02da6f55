import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { rollingExtremeColumn } from "./rolling-extreme-column";
import { SlidingMaximum } from "./sliding-maximum";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** Streaming highest (sign 1) or lowest (sign −1, the maximum of negated closes) close of the window. */
class ExtremeStream implements IndicatorStream {
  private readonly output = new Float64Array(1);
  private readonly previewed = new Float64Array(1);
  private readonly maximum: SlidingMaximum;
  count = 0;

  constructor(
    private readonly period: number,
    private readonly sign: 1 | -1,
  ) {
    this.maximum = new SlidingMaximum(period);
  }

  update(bar: StreamInput): Float64Array {
    const extreme = this.sign * this.maximum.next(this.sign * bar.close);
    this.output[0] = ++this.count < this.period ? NaN : extreme;
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    this.previewed[0] = this.count + 1 < this.period ? NaN : this.sign * this.maximum.peek(this.sign * bar.close);
    return this.previewed;
  }
}

/** The rolling maximum (sign 1) or minimum (sign −1) of the close, as TA-Lib's TA_MAX / TA_MIN. */
function extremeIndicator(id: "max" | "min", sign: 1 | -1): IndicatorDefinition {
  const word = sign === 1 ? "highest" : "lowest";
  return defineIndicator({
    id,
    name: sign === 1 ? "Rolling Maximum" : "Rolling Minimum",
    description: `Statistics: the ${word} close of the last \`period\` bars, current bar included.`,
    source: `Matches TA-Lib TA_${id.toUpperCase()}.`,
    version: 1,
    group: IndicatorGroup.STATISTICS,
    parameters: [periodParameter("period", "Number of bars in the window, the current one included.", 30)],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: `The ${word} close of the window, in the price's unit.`, scale: ToleranceScale.VALUE }],
    reference: { kind: ReferenceKind.TALIB, function: id.toUpperCase(), inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
    testCases: [{}, { period: 2 }, { period: 200 }],
    read: readPeriod,
    lookback: ({ period }) => period - 1,
    warmup: ({ period }, tolerance) => finiteWarmup(period - 1, tolerance),
    writeBatch({ period }, { close, length }, [value]) {
      rollingExtremeColumn(close, length, period, sign, value);
    },
    createStream: ({ period }) => new ExtremeStream(period, sign),
  });
}

/**
 * Rolling maximum: the highest close of the last `period` bars (rows used [i − period + 1 .. i], written at row i).
 * Parameters: `period` (bars, default 30 as TA-Lib, [2, 100000]). Of any input through a composed feature.
 */
export const rollingMaximum = extremeIndicator("max", 1);

/** Rolling minimum: the lowest close of the last `period` bars; as `rollingMaximum` otherwise (TA-Lib TA_MIN). */
export const rollingMinimum = extremeIndicator("min", -1);
