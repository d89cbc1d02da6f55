import { PriceField } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import { defineIndicator } from "./batch";
import { EmaState } from "./exponential-average";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { emaFactor, emaNext } from "./smoothing";
import { ToleranceScale } from "./tolerance-scale";
import { decayWarmup } from "./warmup";

/** MACD's settings: the three EMA periods, in bars. */
interface MacdPeriods {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
}

/** Reads MACD's three periods once. */
function periodsOf(parameters: IndicatorParameters): MacdPeriods {
  return {
    fast: integerParameter(parameters, "fastPeriod"),
    slow: integerParameter(parameters, "slowPeriod"),
    signal: integerParameter(parameters, "signalPeriod"),
  };
}

/** TA-Lib's MACD lookback: the slow EMA's plus the signal EMA's. */
function lookbackOf({ slow, signal }: MacdPeriods): number {
  return slow - 1 + (signal - 1);
}

/**
 * Batch MACD as TA-Lib's INT_MACD computes it, fused into one pass:
 * - slow EMA seeded at row slow-1 with the mean of rows 0..slow-1;
 * - fast EMA seeded at the same row slow-1 with the mean of rows slow-fast..slow-1 (TA-Lib starts the
 *   fast EMA late so both lines begin on the same row; earlier closes never enter it);
 * - macd = fast - slow from row slow-1; signal = EMA(signal) of macd seeded with the mean of its first
 *   `signal` values, first written at the lookback; histogram = macd - signal.
 */
function macdColumns(
  close: Float64Array,
  length: number,
  p: MacdPeriods,
  macd: Float64Array,
  signal: Float64Array,
  histogram: Float64Array,
): void {
  const seedRow = p.slow - 1;
  const lookback = lookbackOf(p);
  if (lookback >= length) return;
  const kSlow = emaFactor(p.slow);
  const kFast = emaFactor(p.fast);
  const kSignal = emaFactor(p.signal);
  const fastStart = p.slow - p.fast;
  let slowSum = 0;
  let fastSum = 0;
  let i = 0;
  for (; i < fastStart; i++) slowSum += close[i];
  for (; i <= seedRow; i++) {
    const x = close[i];
    slowSum += x;
    fastSum += x;
  }
  let slow = slowSum / p.slow;
  let fast = fastSum / p.fast;
  let line = fast - slow;
  let signalSum = 0;
  signalSum += line;
  for (i = seedRow + 1; i <= lookback; i++) {
    const x = close[i];
    slow = emaNext(slow, x, kSlow);
    fast = emaNext(fast, x, kFast);
    line = fast - slow;
    signalSum += line;
  }
  let trigger = signalSum / p.signal;
  macd[lookback] = line;
  signal[lookback] = trigger;
  histogram[lookback] = line - trigger;
  for (i = lookback + 1; i < length; i++) {
    const x = close[i];
    slow = emaNext(slow, x, kSlow);
    fast = emaNext(fast, x, kFast);
    line = fast - slow;
    trigger = emaNext(trigger, line, kSignal);
    macd[i] = line;
    signal[i] = trigger;
    histogram[i] = line - trigger;
  }
}

/** Writes macd, signal and histogram (stream and preview). */
function writeLines(output: Float64Array, line: number, trigger: number): void {
  output[0] = line;
  output[1] = trigger;
  output[2] = line - trigger;
}

/** Streaming MACD from three EmaStates; same arithmetic as `macdColumns`. */
class MacdStream implements IndicatorStream {
  private readonly output = new Float64Array(3);
  private readonly previewed = new Float64Array(3);
  private readonly slow: EmaState;
  private readonly fast: EmaState;
  private readonly signal: EmaState;
  private readonly fastStart: number;
  private readonly seedRow: number;
  private readonly lookback: number;
  count = 0;

  constructor(periods: MacdPeriods) {
    this.slow = new EmaState(periods.slow, emaFactor(periods.slow));
    this.fast = new EmaState(periods.fast, emaFactor(periods.fast));
    this.signal = new EmaState(periods.signal, emaFactor(periods.signal));
    this.fastStart = periods.slow - periods.fast;
    this.seedRow = periods.slow - 1;
    this.lookback = lookbackOf(periods);
  }

  update(bar: StreamInput): Float64Array {
    const row = this.count++;
    const x = bar.close;
    const slow = this.slow.next(x);
    const fast = row >= this.fastStart ? this.fast.next(x) : NaN;
    const output = this.output;
    if (row < this.seedRow) {
      output.fill(NaN);
      return output;
    }
    const line = fast - slow;
    const trigger = this.signal.next(line);
    if (row < this.lookback) {
      output.fill(NaN);
    } else {
      writeLines(output, line, trigger);
    }
    return output;
  }

  /** Peeks the three EMAs; before the lookback every output is NaN whatever they hold. */
  preview(bar: StreamInput): Float64Array {
    const row = this.count;
    if (row < this.lookback) {
      this.previewed.fill(NaN);
      return this.previewed;
    }
    const x = bar.close;
    const line = this.fast.peek(x) - this.slow.peek(x);
    writeLines(this.previewed, line, this.signal.peek(line));
    return this.previewed;
  }
}

/**
 * Moving Average Convergence/Divergence of the close (Appel): macd = EMA(fast) - EMA(slow),
 * signal = EMA(signalPeriod) of macd, histogram = macd - signal, all with k = 2 / (period + 1).
 * Parameters: `fastPeriod` (default 12), `slowPeriod` (default 26), `signalPeriod` (default 9), bars;
 * fastPeriod < slowPeriod. Outputs in the price's unit, all defined from row slow + signal - 2.
 * Warm-up: lookback + ceil(ln(tol / SEED_ERROR_BOUND) / ln(1 - min k)), relative to the price level.
 */
export const macd: IndicatorDefinition = defineIndicator({
  id: "macd",
  name: "Moving Average Convergence/Divergence",
  description:
    "Trend and momentum: the gap between a fast and a slow EMA of the close, its EMA (signal), and their difference (histogram). Crossings of macd and signal read as momentum shifts.",
  source: "Appel 1979; matches TA-Lib TA_MACD (incl. its late seeding of the fast EMA).",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [
    periodParameter("fastPeriod", "Period of the fast EMA, in bars; must be below slowPeriod.", 12),
    periodParameter("slowPeriod", "Period of the slow EMA, in bars.", 26),
    // Minimum 2 as TA-Lib's EMA: TA_MACD with signal period 1 gets lookback -1 from TA_EMA_Lookback and
    // returns misaligned lines whose first value is uninitialized memory (talib 1.1.6).
    periodParameter("signalPeriod", "Period of the signal EMA over the macd line, in bars.", 9),
  ],
  inputs: [PriceField.CLOSE],
  outputs: [
    { name: "macd", description: "Fast EMA minus slow EMA, in the price's unit.", scale: ToleranceScale.PRICE },
    { name: "signal", description: "EMA of the macd line, in the price's unit.", scale: ToleranceScale.PRICE },
    { name: "histogram", description: "macd minus signal, in the price's unit.", scale: ToleranceScale.PRICE },
  ],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "MACD",
    inputs: { inReal: PriceField.CLOSE },
    options: { optInFastPeriod: "fastPeriod", optInSlowPeriod: "slowPeriod", optInSignalPeriod: "signalPeriod" },
    outputs: ["outMACD", "outMACDSignal", "outMACDHist"],
    regtest: {
      function: "MACD",
      parameters: { fast: "fastPeriod", slow: "slowPeriod", signal: "signalPeriod" },
      outputs: ["macd", "signal", "hist"],
    },
  },
  testCases: [{}, { fastPeriod: 5, slowPeriod: 35, signalPeriod: 5 }, { fastPeriod: 2, slowPeriod: 3, signalPeriod: 2 }],
  read: periodsOf,
  check({ fast, slow }) {
    if (fast >= slow) {
      throw badUserInput(
        `Parameter "fastPeriod" of indicator "macd" must be smaller than "slowPeriod", got fastPeriod ${fast} and slowPeriod ${slow}.`,
        { indicator: "macd", fastPeriod: fast, slowPeriod: slow },
      );
    }
  },
  lookback: lookbackOf,
  warmup(periods, tolerance) {
    const slowestK = Math.min(emaFactor(periods.fast), emaFactor(periods.slow), emaFactor(periods.signal));
    return decayWarmup(lookbackOf(periods), 1 - slowestK, tolerance);
  },
  writeBatch(periods, columns, [line, signal, histogram]) {
    macdColumns(columns.close, columns.length, periods, line, signal, histogram);
  },
  createStream: (periods) => new MacdStream(periods),
});
