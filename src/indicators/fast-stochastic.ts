import { rollingExtremeColumn } from "./rolling-extreme-column";
import { SmaState } from "./simple-average";
import { WindowExtremes } from "./window-extremes";

/** Fast %K as TA-Lib: (close - lowest) / ((highest - lowest) / 100), 0 for a flat window; NaN when an extreme is. */
export function fastKOf(close: number, highest: number, lowest: number): number {
  const diff = (highest - lowest) / 100;
  return diff !== 0 ? (close - lowest) / diff : 0;
}

/**
 * Fast stochastic one bar at a time, as TA-Lib's TA_STOCHF computes it with SMA smoothing: fast %K over the highest
 * high and lowest low of the last `fastKPeriod` bars (from row fastKPeriod - 1), fast %D = running-sum SMA of
 * `fastDPeriod` fast %K values (from row fastKPeriod + fastDPeriod - 2). Batch and stream forms of STOCHF and
 * STOCHRSI both run it, so they agree bit for bit. Equal extremes have equal values, so which row holds one does
 * not matter here (unlike Aroon).
 */
export class FastStochastic {
  private readonly extremes: WindowExtremes;
  private readonly smoothing: SmaState;
  private count = 0;
  /** Fast %K of the last `next`, NaN before row fastKPeriod - 1. */
  fastK = NaN;
  /** Fast %D of the last `next`, NaN before row fastKPeriod + fastDPeriod - 2. */
  fastD = NaN;
  /** Fast %K of the last `peek`. */
  peekedFastK = NaN;
  /** Fast %D of the last `peek`. */
  peekedFastD = NaN;

  /**
   * @param fastKPeriod bars of the high-low range, >= 1
   * @param fastDPeriod bars of the SMA of fast %K, >= 1
   */
  constructor(
    private readonly fastKPeriod: number,
    fastDPeriod: number,
  ) {
    this.extremes = new WindowExtremes(fastKPeriod);
    this.smoothing = new SmaState(fastDPeriod);
  }

  /** Feeds the next bar (for STOCHRSI one value three times); sets `fastK` and `fastD`. */
  next(high: number, low: number, close: number): void {
    const { extremes } = this;
    extremes.next(high, low);
    if (++this.count < this.fastKPeriod) return;
    this.fastK = fastKOf(close, extremes.highest, extremes.lowest);
    this.fastD = this.smoothing.next(this.fastK);
  }

  /** Sets `peekedFastK` and `peekedFastD` to what `next` would set, without feeding the bar. */
  peek(high: number, low: number, close: number): void {
    const { extremes } = this;
    extremes.peek(high, low);
    const defined = this.count + 1 >= this.fastKPeriod;
    this.peekedFastK = defined ? fastKOf(close, extremes.peekedHighest, extremes.peekedLowest) : NaN;
    this.peekedFastD = defined ? this.smoothing.peek(this.peekedFastK) : NaN;
  }
}

/**
 * Batch form of `FastStochastic` over columns, with the same arithmetic (so the same bits): the window extremes from
 * `rollingExtremeColumn`, fast %K by `fastKOf`, fast %D by an `SmaState`.
 * @param high, low, close input columns, oldest first; `length` rows are read
 * @param fastK receives fast %K at rows [fastKPeriod − 1, length) (and holds the highest highs as scratch before)
 * @param fastD receives fast %D at the same rows (NaN until fastDPeriod values of fast %K exist)
 */
export function fastStochasticColumns(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
  fastKPeriod: number,
  fastDPeriod: number,
  fastK: Float64Array,
  fastD: Float64Array,
): void {
  const lowest = new Float64Array(length);
  rollingExtremeColumn(high, length, fastKPeriod, 1, fastK);
  rollingExtremeColumn(low, length, fastKPeriod, -1, lowest);
  const smoothing = new SmaState(fastDPeriod);
  for (let i = fastKPeriod - 1; i < length; i++) {
    const k = fastKOf(close[i], fastK[i], lowest[i]);
    fastK[i] = k;
    fastD[i] = smoothing.next(k);
  }
}
