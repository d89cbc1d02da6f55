import { PriceField } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import { RANGE_WORKED_BARS } from "./arp";
import { defineIndicator } from "./batch";
import { bbands } from "./bbands";
import { donchian } from "./donchian";
import type { IndicatorDefinition, IndicatorParameters, IndicatorStream, StreamInput } from "./indicator";
import { IndicatorGroup } from "./indicator-group";
import { keltner } from "./keltner";
import { integerParameter, realParameter, resolveParameters } from "./parameters";
import { MAX_PERIOD, multipleParameter, periodParameter } from "./parameter-specs";
import { ReferenceKind } from "./reference";
import { RingBuffer } from "./ring-buffer";
import { ToleranceScale } from "./tolerance-scale";

/** The band indicator whose touches are counted; the `band` parameter's numbers at the boundary. */
export enum TouchedBand {
  /** Bollinger Bands (`bbands`): period = its period, multiplier = its standardDeviations. */
  BOLLINGER = 0,
  /** Keltner Channels (`keltner`): period, atrPeriod and multiplier as its own. */
  KELTNER = 1,
  /** Donchian Channels (`donchian`): period as its own; multiplier and atrPeriod unused. */
  DONCHIAN = 2,
}

/** Defaults of the band's own parameters (those of bbands and keltner, which agree; donchian's period too). */
const DEFAULT_PERIOD = 20;
const DEFAULT_MULTIPLIER = 2;
const DEFAULT_ATR_PERIOD = 10;

/**
 * A price within this fraction of a line touches it (relative to the line). Exact comparisons would let the band's last
 * bits decide: Bollinger's running sums drift with the start row (~1e-11 of the price at period 20, see bbands.ts), and
 * on decimal prices the middle line (a mean of closes) often equals a bar's high or low exactly, so a flag would depend
 * on where the history starts. 1e-9 of the price is far below any tick (0.01 on 90,000 is 1e-7) and above that drift.
 */
export const TOUCH_TOLERANCE = 1e-9;

/** Band touches' settings: the band indicator with its resolved parameters, and the counting window. */
interface BandTouchesSettings {
  readonly band: TouchedBand;
  readonly period: number;
  readonly multiplier: number;
  readonly atrPeriod: number;
  readonly window: number;
  /** The band indicator (bbands, keltner or donchian), whose outputs are upper, middle, lower. */
  readonly indicator: IndicatorDefinition;
  /** Its resolved parameters. */
  readonly bandParameters: IndicatorParameters;
}

/** The band indicator and its parameters for `band`. */
function bandOf(band: TouchedBand, period: number, multiplier: number, atrPeriod: number): [IndicatorDefinition, IndicatorParameters] {
  switch (band) {
    case TouchedBand.BOLLINGER:
      return [bbands, resolveParameters(bbands, { period, standardDeviations: multiplier })];
    case TouchedBand.KELTNER:
      return [keltner, resolveParameters(keltner, { period, atrPeriod, multiplier })];
    case TouchedBand.DONCHIAN:
      return [donchian, resolveParameters(donchian, { period })];
  }
}

function settingsOf(parameters: IndicatorParameters): BandTouchesSettings {
  const band = integerParameter(parameters, "band") as TouchedBand;
  const period = integerParameter(parameters, "period");
  const multiplier = realParameter(parameters, "multiplier");
  const atrPeriod = integerParameter(parameters, "atrPeriod");
  const [indicator, bandParameters] = bandOf(band, period, multiplier, atrPeriod);
  return { band, period, multiplier, atrPeriod, window: integerParameter(parameters, "window"), indicator, bandParameters };
}

/**
 * Parameters the chosen band does not read must keep their defaults, so that one feature has one parameter set.
 * @throws DomainError BAD_USER_INPUT naming the parameter and the band
 */
function checkUnusedParameters({ band, multiplier, atrPeriod }: BandTouchesSettings): void {
  if (band !== TouchedBand.KELTNER && atrPeriod !== DEFAULT_ATR_PERIOD) {
    throw badUserInput(`Parameter "atrPeriod" of indicator "bandtouches" is only used by band 1 (Keltner); leave it at ${DEFAULT_ATR_PERIOD} for band ${band}.`);
  }
  if (band === TouchedBand.DONCHIAN && multiplier !== DEFAULT_MULTIPLIER) {
    throw badUserInput(`Parameter "multiplier" of indicator "bandtouches" is not used by band 2 (Donchian); leave it at ${DEFAULT_MULTIPLIER}.`);
  }
}

/** First row with every output defined: the band's lookback plus a full window of flags. */
function lookbackOf({ indicator, bandParameters, window }: BandTouchesSettings): number {
  return indicator.lookback(bandParameters) + window - 1;
}

/**
 * The touch flags of the current bar and their counts over the last `window` bars, one bar at a time: a ring of the
 * last `window` flags per band line and exact integer counts (add the new flag, subtract the one leaving). Batch and
 * stream both run it on the same band values, so they agree bit for bit.
 */
class TouchCounter {
  private readonly rings: [RingBuffer, RingBuffer, RingBuffer];
  private readonly counts = new Float64Array(3);
  private readonly flags = new Float64Array(3);
  private pushed = 0;

  constructor(private readonly window: number) {
    this.rings = [new RingBuffer(window), new RingBuffer(window), new RingBuffer(window)];
  }

  /**
   * Sets `flags` for a bar of `high` and `low` against the band lines, each line widened by TOUCH_TOLERANCE of itself
   * towards the price (all 0 while the band is NaN).
   */
  private touch(high: number, low: number, upper: number, middle: number, lower: number): void {
    this.flags[0] = high >= upper - TOUCH_TOLERANCE * Math.abs(upper) ? 1 : 0;
    const slack = TOUCH_TOLERANCE * Math.abs(middle);
    this.flags[1] = low <= middle + slack && middle - slack <= high ? 1 : 0;
    this.flags[2] = low <= lower + TOUCH_TOLERANCE * Math.abs(lower) ? 1 : 0;
  }

  /** The flag of line `k` that leaves the window when the next bar joins it (0 while the window is not full). */
  private leaving(k: number): number {
    return this.pushed >= this.window ? this.rings[k].ago(this.window - 1) : 0;
  }

  /** Feeds the next bar and writes [upper, middle, lower, upperCount, middleCount, lowerCount] into `into`. */
  next(high: number, low: number, upper: number, middle: number, lower: number, into: Float64Array): void {
    this.touch(high, low, upper, middle, lower);
    for (let k = 0; k < 3; k++) {
      this.counts[k] += this.flags[k] - this.leaving(k);
      this.rings[k].push(this.flags[k]);
      into[k] = this.flags[k];
      into[k + 3] = this.counts[k];
    }
    this.pushed++;
  }

  /** What `next` would write, without changing the state. */
  peek(high: number, low: number, upper: number, middle: number, lower: number, into: Float64Array): void {
    this.touch(high, low, upper, middle, lower);
    for (let k = 0; k < 3; k++) {
      into[k] = this.flags[k];
      into[k + 3] = this.counts[k] + this.flags[k] - this.leaving(k);
    }
  }
}

/** Streaming band touches: the band indicator's own stream, then the `TouchCounter`. */
class BandTouchesStream implements IndicatorStream {
  private readonly output = new Float64Array(6);
  private readonly previewed = new Float64Array(6);
  private readonly band: IndicatorStream;
  private readonly counter: TouchCounter;
  private readonly lookback: number;
  count = 0;

  constructor(settings: BandTouchesSettings) {
    this.band = settings.indicator.createStream(settings.bandParameters);
    this.counter = new TouchCounter(settings.window);
    this.lookback = lookbackOf(settings);
  }

  update(bar: StreamInput): Float64Array {
    const [upper, middle, lower] = this.band.update(bar);
    this.counter.next(bar.high, bar.low, upper, middle, lower, this.output);
    if (this.count++ < this.lookback) this.output.fill(NaN);
    return this.output;
  }

  preview(bar: StreamInput): Float64Array {
    const [upper, middle, lower] = this.band.preview(bar);
    this.counter.peek(bar.high, bar.low, upper, middle, lower, this.previewed);
    if (this.count < this.lookback) this.previewed.fill(NaN);
    return this.previewed;
  }
}

/**
 * Band Touches (qlir's band touches): which lines of a price band the bar touched, and how often over the last
 * `window` bars. Band (parameter `band`): 0 = Bollinger Bands (`bbands`, `period` and `multiplier` = its period and
 * standardDeviations), 1 = Keltner Channels (`keltner`: period, atrPeriod, multiplier), 2 = Donchian Channels
 * (`donchian`: period). The band is that indicator's own stream or batch (composed, not copied), so its values are
 * exactly the band indicator's.
 * Touches at row i: upper = high[i] >= upper[i], middle = low[i] <= middle[i] <= high[i], lower = low[i] <= lower[i],
 * each 1 or 0, every line taken TOUCH_TOLERANCE (1e-9) of itself closer to the price (a price within a billionth of a
 * line touches it, so the band's rounding cannot decide a tie); counts = the sum of each flag over rows
 * [i - window + 1 .. i].
 * Rows used [i - lookback .. i] with lookback = the band's lookback + window - 1 (Bollinger and Donchian period - 1,
 * Keltner max(period - 1, atrPeriod)), written at row i. All six outputs share that lookback: the flags alone would be
 * defined window - 1 rows earlier, but an indicator has one lookback, and a count is always over a full window.
 * Parameters: `band` (0/1/2, default 0), `period` (default 20, [2, 100000]), `multiplier` (default 2, [0.01, 100]),
 * `atrPeriod` (default 10, [1, 100000]), `window` (default 20, [1, 100000]); a parameter the band does not read must
 * keep its default (BAD_USER_INPUT otherwise), so one feature has one name.
 * Warm-up = the band's warm-up + window - 1 (the oldest flag counted needs the band's warm-up before it); = lookback
 * for Bollinger and Donchian, longer for Keltner's recursions. A flag is 0 or 1, so "within tolerance" means equal: a
 * band within the tolerance of its full-history value gives the same flag unless the price lies within that tolerance
 * of the widened line (never for Donchian, whose lines are prices; for Bollinger and Keltner a price would have to fall
 * within ~1e-9 of the price from a line that is no price: measured none on the test series).
 */
export const bandtouches: IndicatorDefinition = defineIndicator({
  id: "bandtouches",
  name: "Band Touches",
  description:
    "Volatility: which lines of a price band the bar touched — upper when high ≥ upper, middle when low ≤ middle ≤ high, lower when low ≤ lower (1 or 0; a price within 1e-9 of a line touches it) — and how many of the last `window` bars touched each (upperCount, middleCount, lowerCount). The band is Bollinger Bands (band 0), Keltner Channels (1) or Donchian Channels (2), with that indicator's parameters; rows used [i − (band lookback + window − 1) .. i]. Many upper touches in a row mark a strong trend ('walking the band'); touches of both sides a wide, choppy range.",
  source: "qlir's band touches op (touch flags of a band's lines and their rolling counts) over Candela's bbands, keltner and donchian.",
  version: 1,
  group: IndicatorGroup.VOLATILITY,
  parameters: [
    { name: "band", description: "The band: 0 = Bollinger Bands, 1 = Keltner Channels, 2 = Donchian Channels.", defaultValue: TouchedBand.BOLLINGER, minimum: 0, maximum: 2, integer: true },
    periodParameter("period", "The band's period: Bollinger's SMA and deviation window, Keltner's EMA period, Donchian's high-low window.", DEFAULT_PERIOD),
    multipleParameter(
      "multiplier",
      "Band distance from the middle: Bollinger's standard deviations, Keltner's ATR multiple; unused (keep 2) for Donchian.",
      DEFAULT_MULTIPLIER,
    ),
    { name: "atrPeriod", description: "Keltner's ATR period; unused (keep 10) for the other bands.", defaultValue: DEFAULT_ATR_PERIOD, minimum: 1, maximum: MAX_PERIOD, integer: true },
    periodParameter("window", "Number of bars whose touches are counted, the current one included.", 20, 1),
  ],
  inputs: [PriceField.HIGH, PriceField.LOW, PriceField.CLOSE],
  outputs: [
    { name: "upper", description: "1 when the bar's high reached the upper line (high ≥ upper), else 0.", scale: ToleranceScale.VALUE },
    { name: "middle", description: "1 when the bar's range contains the middle line (low ≤ middle ≤ high), else 0.", scale: ToleranceScale.VALUE },
    { name: "lower", description: "1 when the bar's low reached the lower line (low ≤ lower), else 0.", scale: ToleranceScale.VALUE },
    { name: "upperCount", description: "Upper touches among the last `window` bars.", scale: ToleranceScale.VALUE },
    { name: "middleCount", description: "Middle touches among the last `window` bars.", scale: ToleranceScale.VALUE },
    { name: "lowerCount", description: "Lower touches among the last `window` bars.", scale: ToleranceScale.VALUE },
  ],
  reference: {
    kind: ReferenceKind.CITED,
    citation:
      "qlir (github.com/Trones21/qlir), band touches: touch flags of a band's upper, middle and lower lines and their rolling counts " +
      "(Candela's brief of the op: upper = high ≥ upper, middle = low ≤ middle ≤ high, lower = low ≤ lower). Values below computed by hand: " +
      "Donchian(3) lines read off the highs and lows (e.g. row 4: highs 10.5, 11.0, 11.5 and lows 10.0, 10.1, 10.8 give upper 11.5 = the " +
      "high, touched; middle 10.75 below the low 10.8; lower 10.0), Bollinger(3, 1 standard deviation) from the mean and population " +
      "deviation of three closes (row 4: closes 10.2, 10.9, 11.3, mean 10.8, variance 0.2067, lines 11.2546 / 10.8 / 10.3454), no price " +
      "within 1e-6 of a line; flags and counts checked with a throw-away Python script (exact fractions), independently of this module.",
    cases: [
      {
        parameters: { band: TouchedBand.DONCHIAN, period: 3, window: 3 },
        bars: RANGE_WORKED_BARS,
        expected: {
          upper: [null, null, null, null, 1, 0, 0, 0, 1, 1],
          middle: [null, null, null, null, 0, 0, 1, 1, 1, 1],
          lower: [null, null, null, null, 0, 0, 1, 0, 0, 0],
          upperCount: [null, null, null, null, 2, 2, 1, 0, 1, 2],
          middleCount: [null, null, null, null, 2, 1, 1, 2, 3, 3],
          lowerCount: [null, null, null, null, 0, 0, 1, 1, 1, 0],
        },
      },
      {
        parameters: { band: TouchedBand.BOLLINGER, period: 3, multiplier: 1, window: 4 },
        bars: RANGE_WORKED_BARS,
        expected: {
          upper: [null, null, null, null, null, 1, 0, 0, 1, 1],
          middle: [null, null, null, null, null, 1, 1, 1, 1, 1],
          lower: [null, null, null, null, null, 1, 1, 1, 0, 0],
          upperCount: [null, null, null, null, null, 4, 3, 2, 2, 2],
          middleCount: [null, null, null, null, null, 4, 4, 4, 4, 4],
          lowerCount: [null, null, null, null, null, 3, 3, 3, 3, 2],
        },
      },
    ],
  },
  testCases: [
    {},
    { band: TouchedBand.KELTNER },
    { band: TouchedBand.DONCHIAN },
    { band: TouchedBand.DONCHIAN, period: 55, window: 1 },
    { band: TouchedBand.KELTNER, period: 10, atrPeriod: 5, multiplier: 1, window: 50 },
  ],
  read: settingsOf,
  check: checkUnusedParameters,
  lookback: lookbackOf,
  warmup: ({ indicator, bandParameters, window }, tolerance) => indicator.warmup(bandParameters, tolerance) + window - 1,
  writeBatch(settings, columns, outputs) {
    const [upper, middle, lower] = settings.indicator.computeBatch(settings.bandParameters, columns);
    const counter = new TouchCounter(settings.window);
    const row = new Float64Array(6);
    const { high, low, length } = columns;
    for (let i = 0; i < length; i++) {
      counter.next(high[i], low[i], upper[i], middle[i], lower[i], row);
      for (let k = 0; k < 6; k++) outputs[k][i] = row[k];
    }
  },
  createStream: (settings) => new BandTouchesStream(settings),
});
