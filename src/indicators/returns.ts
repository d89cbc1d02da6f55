import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import type { IndicatorDefinition } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { readPeriod } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { type IndicatorReference, ReferenceKind } from "./reference";
import { PeriodChangeStream } from "./period-change-stream";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** Closes of the worked examples, oldest first. */
const WORKED_CLOSES = [10.0, 10.4, 10.2, 10.9, 11.3, 11.1, 10.6, 10.8, 11.5, 12.0];

/** What differs between the transforms of the close over `period` bars. */
interface ChangeSpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly output: string;
  readonly scale: ToleranceScale;
  readonly reference: IndicatorReference;
  /** The transform of the close `x` and the close `period` bars before it. */
  readonly change: (x: number, earlier: number) => number;
}

/** A transform of close[i] and close[i - period], defined from row `period`; exact from any start row. */
function changeIndicator(spec: ChangeSpec): IndicatorDefinition {
  const { change } = spec;
  return defineIndicator({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    source: spec.source,
    version: 1,
    group: IndicatorGroup.TRANSFORM,
    parameters: [periodParameter("period", "Number of bars back.", 1, 1)],
    inputs: [PriceField.CLOSE],
    outputs: [{ name: "value", description: spec.output, scale: spec.scale }],
    reference: spec.reference,
    testCases: [{}, { period: 3 }, { period: 50 }],
    read: readPeriod,
    lookback: ({ period }) => period,
    warmup: ({ period }, tolerance) => finiteWarmup(period, tolerance),
    writeBatch({ period }, { close, length }, [value]) {
      for (let i = period; i < length; i++) value[i] = change(close[i], close[i - period]);
    },
    createStream: ({ period }) => new PeriodChangeStream(period, change),
  });
}

/**
 * Simple return over `period` bars: (close - close `period` bars ago) / close `period` bars ago, as a fraction (0.01 is
 * 1 %); 0 when the earlier close is 0, as TA-Lib's TA_ROCP. Parameters: `period` (bars, default 1, [1, 100000]).
 */
export const simpleReturn = changeIndicator({
  id: "return",
  name: "Simple Return",
  description: "Transform: the close's relative change over `period` bars, as a fraction (0.01 is +1 %).",
  source: "Simple (arithmetic) return; matches TA-Lib TA_ROCP.",
  output: "Return over the period, as a fraction.",
  // Near zero and from two closes: judged on the 1e-9 absolute floor of the comparisons (max(1, |value|)).
  scale: ToleranceScale.VALUE,
  reference: { kind: ReferenceKind.TALIB, function: "ROCP", inputs: { inReal: PriceField.CLOSE }, options: { optInTimePeriod: "period" }, outputs: ["outReal"] },
  change: (x, earlier) => (earlier !== 0 ? (x - earlier) / earlier : 0),
});

/**
 * Log return over `period` bars: ln(close / close `period` bars ago), additive over time. Parameters: `period` (bars,
 * default 1, [1, 100000]). Prices are positive (bar validation), so the value is finite.
 */
export const logReturn = changeIndicator({
  id: "logreturn",
  name: "Log Return",
  description: "Transform: the natural log of the close's ratio over `period` bars; returns of consecutive periods add up.",
  source: "Continuously compounded return, ln(p_t / p_{t-n}).",
  output: "Log return over the period.",
  scale: ToleranceScale.VALUE,
  reference: {
    kind: ReferenceKind.CITED,
    citation: "Campbell, Lo and MacKinlay, The Econometrics of Financial Markets (1997), eq. 1.4.1: r_t = log(P_t / P_{t-1}); over k periods log(P_t / P_{t-k}). Values below from Python's math.log of the closes' ratio.",
    cases: [
      {
        parameters: { period: 1 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [
            null, 0.03922071315328133, -0.01941808585710174, 0.0663750689448728, 0.03603993648319687, -0.017857617400006572, -0.046091107200266976,
            0.018692133012152546, 0.06280090123903023, 0.0425596144187959,
          ],
        },
      },
      {
        parameters: { period: 3 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: {
          value: [null, null, null, 0.08617769624105241, 0.08299691957096803, 0.08455738802806317, -0.027908788117076616, -0.04525659158812083, 0.035401927050916, 0.12405264866997882],
        },
      },
    ],
  },
  change: (x, earlier) => Math.log(x / earlier),
});

/** Lag: the close `period` bars ago, at the current bar (a model's input of past values). Parameters as `return`. */
export const lag = changeIndicator({
  id: "lag",
  name: "Lag",
  description: "Transform: the close `period` bars before the current bar, so a model can take past values as inputs.",
  source: "Lag operator L^n applied to the close.",
  output: "The close `period` bars ago, in the price's unit.",
  scale: ToleranceScale.VALUE,
  reference: {
    kind: ReferenceKind.CITED,
    citation: "Hamilton, Time Series Analysis (1994), section 2.1: the lag operator, L^k x_t = x_{t-k}. Values below read off the closes.",
    cases: [
      {
        parameters: { period: 2 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, null, 10.0, 10.4, 10.2, 10.9, 11.3, 11.1, 10.6, 10.8] },
      },
      {
        parameters: { period: 1 },
        bars: WORKED_CLOSES.map((close) => ({ close })),
        expected: { value: [null, 10.0, 10.4, 10.2, 10.9, 11.3, 11.1, 10.6, 10.8, 11.5] },
      },
    ],
  },
  change: (_x, earlier) => earlier,
});
