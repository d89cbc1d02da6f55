import { PriceField } from "../domain/bar";
import { defineIndicator } from "./batch";
import { fastKOf } from "./fast-stochastic";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { integerParameter } from "./parameters";
import { periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { SmaState } from "./simple-average";
import { ToleranceScale } from "./tolerance-scale";
import { finiteWarmup } from "./warmup";

/** TA-Lib's MA type code for the simple moving average (TA_MAType_SMA). */
const TALIB_SMA = 0;

/** The stochastic's settings: the three periods, in bars. */
interface StochPeriods {
  readonly fastK: number;
  readonly slowK: number;
  readonly slowD: number;
}

/** Reads the three periods once. */
function periodsOf(parameters: IndicatorParameters): StochPeriods {
  return {
    fastK: integerParameter(parameters, "fastKPeriod"),
    slowK: integerParameter(parameters, "slowKPeriod"),
    slowD: integerParameter(parameters, "slowDPeriod"),
  };
}

/** TA-Lib's STOCH lookback with SMA smoothing: (fastK - 1) + (slowK - 1) + (slowD - 1). */
function lookbackOf({ fastK, slowK, slowD }: StochPeriods): number {
  return fastK - 1 + (slowK - 1) + (slowD - 1);
}

/**
 * Batch slow stochastic in one pass (TA-Lib's STOCH makes three: fast %K into a temporary buffer, then
 * two TA_INT_SMA passes; the arithmetic here is the same, in the same order):
 * - fast %K from row fastK - 1 with TA-Lib's window extremes: keep the extreme and its row, rescan the
 *   window only when that row leaves it (strict comparisons in the rescan, `<=`/`>=` for the newest bar);
 * - slowK = running-sum SMA (`smaColumn`'s order) of fast %K, from row fastK + slowK - 2, the fast %K
 *   values it drops kept in a ring of slowK slots;
 * - slowD = the same SMA of slowK, from row fastK + slowK + slowD - 3.
 * Writes `slowK` from row fastK + slowK - 2 and `slowD` from the lookback; earlier rows are untouched.
 */
function stochColumns(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
  periods: StochPeriods,
  slowK: Float64Array,
  slowD: Float64Array,
): void {
  const period = periods.fastK;
  const kPeriod = periods.slowK;
  const dPeriod = periods.slowD;
  const firstK = period + kPeriod - 2;
  const firstD = firstK + dPeriod - 1;
  // The last kPeriod fast %K and the last dPeriod slowK values; slot `kSlot` / `dSlot` is the oldest.
  const fastKs = new Float64Array(kPeriod);
  const slowKs = new Float64Array(dPeriod);
  let kSlot = 0;
  let dSlot = 0;
  let kSum = 0;
  let dSum = 0;
  let lowest = 0;
  let highest = 0;
  let lowestRow = -1;
  let highestRow = -1;
  for (let today = period - 1; today < length; today++) {
    const trailing = today - period + 1;
    if (lowestRow < trailing) {
      lowestRow = trailing;
      lowest = low[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        const value = low[j];
        if (value < lowest) {
          lowestRow = j;
          lowest = value;
        }
      }
    } else {
      const value = low[today];
      if (value <= lowest) {
        lowestRow = today;
        lowest = value;
      }
    }
    if (highestRow < trailing) {
      highestRow = trailing;
      highest = high[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        const value = high[j];
        if (value > highest) {
          highestRow = j;
          highest = value;
        }
      }
    } else {
      const value = high[today];
      if (value >= highest) {
        highestRow = today;
        highest = value;
      }
    }
    const fastK = fastKOf(close[today], highest, lowest);

    const kTotal = kSum + fastK;
    fastKs[kSlot] = fastK;
    kSlot = kSlot + 1 === kPeriod ? 0 : kSlot + 1;
    if (today < firstK) {
      kSum = kTotal;
      continue;
    }
    kSum = kTotal - fastKs[kSlot];
    const k = kTotal / kPeriod;
    slowK[today] = k;

    const dTotal = dSum + k;
    slowKs[dSlot] = k;
    dSlot = dSlot + 1 === dPeriod ? 0 : dSlot + 1;
    if (today < firstD) {
      dSum = dTotal;
      continue;
    }
    dSum = dTotal - slowKs[dSlot];
    slowD[today] = dTotal / dPeriod;
  }
}

/**
 * The highest of the last `period` values as TA-Lib's STOCH tracks its window extremes (see
 * `stochColumns`): the extreme and its row are kept, a newest value >= the extreme replaces it, and the
 * window is rescanned (oldest first, strict `>`) only when the extreme's row leaves it. Fed negated lows
 * it gives the lowest low, negated: negation is exact and turns `>`/`>=` into `<`/`<=`, so the same low is
 * chosen as `stochColumns` chooses.
 */
class WindowHighest {
  /** The values of rows up to `today` (the newest is pushed after the extreme is updated). */
  private readonly window: RingBuffer;
  private highest = 0;
  private highestRow = -1;
  private today = -1;

  /** @param period window length in bars, >= 1 */
  constructor(private readonly period: number) {
    this.window = new RingBuffer(period);
  }

  /** Feeds the next value; returns the highest of the last `period` values, NaN for the first period - 1. */
  next(x: number): number {
    const today = ++this.today;
    const trailing = today - this.period + 1;
    let highest = NaN;
    if (trailing >= 0) {
      if (this.highestRow < trailing) {
        const row = this.rescan(x, today, trailing);
        this.highestRow = row;
        this.highest = this.valueAt(row, x, today);
      } else if (x >= this.highest) {
        this.highestRow = today;
        this.highest = x;
      }
      highest = this.highest;
    }
    this.window.push(x);
    return highest;
  }

  /** What `next(x)` would return now, without changing the state. */
  peek(x: number): number {
    const today = this.today + 1;
    const trailing = today - this.period + 1;
    if (trailing < 0) return NaN;
    if (this.highestRow < trailing) return this.valueAt(this.rescan(x, today, trailing), x, today);
    return x >= this.highest ? x : this.highest;
  }

  /** Row of the first greatest value of rows [trailing, today], row `today` holding `x` (not yet pushed). */
  private rescan(x: number, today: number, trailing: number): number {
    if (trailing === today) return today;
    const window = this.window;
    let row = trailing;
    let highest = window.ago(today - 1 - trailing);
    for (let j = trailing + 1; j < today; j++) {
      const value = window.ago(today - 1 - j);
      if (value > highest) {
        row = j;
        highest = value;
      }
    }
    return x > highest ? today : row;
  }

  /** The value of row `row` (> today - period): `x` for `today`, else from the window. */
  private valueAt(row: number, x: number, today: number): number {
    return row === today ? x : this.window.ago(today - 1 - row);
  }
}

/** Streaming slow stochastic: fast %K from the window extremes, then two running-sum SMAs, as the batch form. */
class StochStream implements IndicatorStream {
  private readonly output = new Float64Array(2);
  private readonly previewed = new Float64Array(2);
  private readonly highs: WindowHighest;
  /** Fed negated lows. */
  private readonly negatedLows: WindowHighest;
  private readonly slowK: SmaState;
  private readonly slowD: SmaState;
  private readonly lookback: number;
  count = 0;

  constructor(periods: StochPeriods) {
    this.highs = new WindowHighest(periods.fastK);
    this.negatedLows = new WindowHighest(periods.fastK);
    this.slowK = new SmaState(periods.slowK);
    this.slowD = new SmaState(periods.slowD);
    this.lookback = lookbackOf(periods);
  }

  update(bar: StreamInput): Float64Array {
    const row = this.count++;
    // NaN for the first fastK - 1 bars (the extremes are NaN).
    const fastK = fastKOf(bar.close, this.highs.next(bar.high), -this.negatedLows.next(-bar.low));
    const slowK = fastK === fastK ? this.slowK.next(fastK) : NaN;
    const slowD = slowK === slowK ? this.slowD.next(slowK) : NaN;
    const defined = row >= this.lookback;
    this.output[0] = defined ? slowK : NaN;
    this.output[1] = defined ? slowD : NaN;
    return this.output;
  }

  /** `update` with `peek` for `next`; before the lookback both outputs are NaN whatever the states hold. */
  preview(bar: StreamInput): Float64Array {
    const previewed = this.previewed;
    if (this.count < this.lookback) {
      previewed.fill(NaN);
      return previewed;
    }
    const fastK = fastKOf(bar.close, this.highs.peek(bar.high), -this.negatedLows.peek(-bar.low));
    const slowK = fastK === fastK ? this.slowK.peek(fastK) : NaN;
    previewed[0] = slowK;
    previewed[1] = slowK === slowK ? this.slowD.peek(slowK) : NaN;
    return previewed;
  }
}

/**
 * Slow Stochastic Oscillator (Lane): fast %K = 100 × (close - lowest low) / (highest high - lowest low)
 * over `fastKPeriod` bars, slowK = SMA(slowKPeriod) of fast %K, slowD = SMA(slowDPeriod) of slowK.
 * Parameters: `fastKPeriod` (default 14), `slowKPeriod` (default 3), `slowDPeriod` (default 3), bars,
 * each [1, 100000]. Outputs `slowK`, `slowD` in [0, 100], both defined from row
 * fastK + slowK + slowD - 3 (TA-Lib starts both there). A flat window gives %K 0, as TA-Lib.
 */
export const stoch: IndicatorDefinition = defineIndicator({
  id: "stoch",
  name: "Stochastic Oscillator (slow)",
  description:
    "Momentum oscillator from 0 to 100: where the close sits in the recent high-low range, smoothed (slowK) and smoothed again (slowD). Above 80 reads overbought, below 20 oversold; slowK crossing slowD signals turns.",
  source: "Lane 1950s; matches TA-Lib TA_STOCH with SMA for both smoothings.",
  version: 1,
  group: IndicatorGroup.MOMENTUM,
  parameters: [
    periodParameter("fastKPeriod", "Bars of the high-low range for fast %K.", 14, 1),
    periodParameter("slowKPeriod", "Bars of the SMA turning fast %K into slowK.", 3, 1),
    periodParameter("slowDPeriod", "Bars of the SMA turning slowK into slowD.", 3, 1),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [
    { name: "slowK", description: "Smoothed %K, from 0 (close at the range's low) to 100 (at its high).", scale: ToleranceScale.OSCILLATOR_100 },
    { name: "slowD", description: "SMA of slowK, from 0 to 100.", scale: ToleranceScale.OSCILLATOR_100 },
  ],
  reference: {
    kind: ReferenceKind.TALIB,
    function: "STOCH",
    inputs: { high: PriceField.HIGH, low: PriceField.LOW, close: PriceField.CLOSE },
    options: { optInFastK_Period: "fastKPeriod", optInSlowK_Period: "slowKPeriod", optInSlowD_Period: "slowDPeriod" },
    fixedOptions: { optInSlowK_MAType: TALIB_SMA, optInSlowD_MAType: TALIB_SMA },
    outputs: ["outSlowK", "outSlowD"],
    regtest: {
      function: "STOCH",
      parameters: { fastK: "fastKPeriod", slowK: "slowKPeriod", slowD: "slowDPeriod" },
      movingAverage: "SMA",
      outputs: ["slowK", "slowD"],
    },
  },
  testCases: [
    {},
    { fastKPeriod: 5, slowKPeriod: 3, slowDPeriod: 4 },
    { fastKPeriod: 1, slowKPeriod: 1, slowDPeriod: 1 },
    { fastKPeriod: 30, slowKPeriod: 5, slowDPeriod: 1 },
  ],
  read: periodsOf,
  lookback: lookbackOf,
  warmup: (periods, tolerance) => finiteWarmup(lookbackOf(periods), tolerance),
  writeBatch(periods, columns, [slowK, slowD]) {
    stochColumns(columns.high, columns.low, columns.close, columns.length, periods, slowK, slowD);
  },
  createStream: (periods) => new StochStream(periods),
});
