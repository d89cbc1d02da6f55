import { newestExpectedOpenTime } from "../domain/expected-bars";
import { countMissingBars, findGaps, gapsBetween, type Gap } from "../domain/gaps";
import { subtractGaps } from "../domain/missing-bars";
import type { Closure } from "../domain/holidays";
import { closeTimeOf, timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import { closedTradingDays, type TradingCalendar } from "../domain/trading-calendar";

/**
 * Whether a series' features are fit to trade on. Ordered from best to worst: the status of several features is the
 * worst of theirs. NO_DATA leaves nothing to compute; GAP_DETECTED makes values wrong until the gap is repaired;
 * WARMING_UP makes them depend on where the stored history starts; CATCHING_UP leaves them right but old.
 */
export enum ReadinessStatus {
  /** Warmed up, gap-free within the warm-up window, and caught up to the newest bar the calendar expects. */
  READY = "READY",
  /** The newest stored bar is older than the newest one the calendar expects by now (a weekend or holiday is not). */
  CATCHING_UP = "CATCHING_UP",
  /** Fewer stored bars than the feature's warm-up needs. */
  WARMING_UP = "WARMING_UP",
  /** A gap (bars missing while the market was open) inside the feature's warm-up window. */
  GAP_DETECTED = "GAP_DETECTED",
  /** No closed bar is stored for the series. */
  NO_DATA = "NO_DATA",
}

const SEVERITY: readonly ReadinessStatus[] = [
  ReadinessStatus.READY,
  ReadinessStatus.CATCHING_UP,
  ReadinessStatus.WARMING_UP,
  ReadinessStatus.GAP_DETECTED,
  ReadinessStatus.NO_DATA,
];

/** The worst of `statuses` (READY for none). */
export function worstStatus(statuses: readonly ReadinessStatus[]): ReadinessStatus {
  return statuses.reduce((worst, status) => (SEVERITY.indexOf(status) > SEVERITY.indexOf(worst) ? status : worst), ReadinessStatus.READY);
}

/** One feature's need: the bars its newest value depends on. */
export interface FeatureNeed {
  /** The exact feature reference, e.g. "rsi_14@1". */
  readonly reference: string;
  /**
   * Bars the newest value needs: its warm-up (`warmup(parameters, 1e-9)`) plus the bar itself; Infinity when the value
   * depends on the whole history (OBV): then one bar suffices to warm up, and the window of gaps is the whole series.
   */
  readonly requiredBars: number;
}

/** What the stored series looks like now: the input of the evaluation. */
export interface SeriesProfile {
  /** Closed bars stored (close time ≤ now). */
  readonly barCount: number;
  /**
   * Open times (epoch ms, ascending) of the newest closed bars: at least the largest finite `requiredBars` of the
   * features, or all of them when a feature needs the whole history.
   */
  readonly recentOpenTimes: ArrayLike<number>;
  /** Gaps a provider confirmed it has no bars for either (an exchange outage), oldest first; none when omitted. */
  readonly confirmedGaps?: readonly Gap[];
}

/** One feature's readiness. */
export interface FeatureReadiness {
  readonly reference: string;
  readonly status: ReadinessStatus;
  /** Bars the newest value needs (warm-up plus the bar); Infinity for the whole history. */
  readonly requiredBars: number;
  /** Closed bars stored. */
  readonly availableBars: number;
  /** Gaps inside the feature's warm-up window that are not confirmed, oldest first: they make it GAP_DETECTED. */
  readonly gaps: readonly Gap[];
  /**
   * Confirmed gaps overlapping the window, oldest first: the provider has no bars for them either (an exchange outage),
   * so the values are what the market produced; reported, not counted as GAP_DETECTED.
   */
  readonly confirmedGaps: readonly Gap[];
  /** Closed days inside the window, skipped because the market was closed (not gaps). */
  readonly skippedClosures: readonly Closure[];
}

/** A series' readiness for a set of features. */
export interface Readiness {
  /** The worst of the features' statuses (the series' own when no feature is named). */
  readonly status: ReadinessStatus;
  /** Open time (epoch ms) of the newest closed bar; undefined without one. */
  readonly newestOpenTime: number | undefined;
  /** `now` minus the newest bar's close time, ms; undefined without one. */
  readonly lagMs: number | undefined;
  /** Bars the calendar expects by now after the newest stored one (0 when caught up). */
  readonly barsBehind: number;
  readonly features: readonly FeatureReadiness[];
}

/**
 * Evaluates a series' readiness (DESIGN.md, readiness states) from what is stored, the instrument's calendar and the
 * clock. Pure: the caller reads the profile.
 * @param now epoch ms
 */
export function evaluateReadiness(calendar: TradingCalendar, timeframe: Timeframe, now: number, profile: SeriesProfile, needs: readonly FeatureNeed[]): Readiness {
  const openTimes = profile.recentOpenTimes;
  if (profile.barCount === 0 || openTimes.length === 0) {
    const features = needs.map((need) => ({ reference: need.reference, status: ReadinessStatus.NO_DATA, requiredBars: need.requiredBars, availableBars: 0, gaps: [], confirmedGaps: [], skippedClosures: [] }));
    return { status: ReadinessStatus.NO_DATA, newestOpenTime: undefined, lagMs: undefined, barsBehind: 0, features };
  }
  const newest = openTimes[openTimes.length - 1];
  const barsBehind = barsExpectedAfter(calendar, timeframe, newest, now);
  const seriesStatus = barsBehind > 0 ? ReadinessStatus.CATCHING_UP : ReadinessStatus.READY;
  const features = needs.map((need): FeatureReadiness => {
    const windowLength = Number.isFinite(need.requiredBars) ? Math.min(need.requiredBars, openTimes.length) : openTimes.length;
    const window = Array.prototype.slice.call(openTimes, openTimes.length - windowLength) as number[];
    const confirmed = (profile.confirmedGaps ?? []).filter((gap) => gap.lastMissingOpenTime > window[0] && gap.firstMissingOpenTime < newest);
    const gaps = subtractGaps(findGaps(window, timeframe, calendar), confirmed, timeframeDurationMs(timeframe));
    const skippedClosures = closedTradingDays(calendar, window[0], newest + timeframeDurationMs(timeframe));
    const warming = Number.isFinite(need.requiredBars) && profile.barCount < need.requiredBars;
    const statuses = [seriesStatus, ...(warming ? [ReadinessStatus.WARMING_UP] : []), ...(gaps.length > 0 ? [ReadinessStatus.GAP_DETECTED] : [])];
    return { reference: need.reference, status: worstStatus(statuses), requiredBars: need.requiredBars, availableBars: profile.barCount, gaps, confirmedGaps: confirmed, skippedClosures };
  });
  return {
    status: needs.length === 0 ? seriesStatus : worstStatus(features.map((feature) => feature.status)),
    newestOpenTime: newest,
    lagMs: now - closeTimeOf(newest, timeframe),
    barsBehind,
    features,
  };
}

/** Trading slots of the calendar after the bar opening at `newest` that have closed by `now`. */
function barsExpectedAfter(calendar: TradingCalendar, timeframe: Timeframe, newest: number, now: number): number {
  const expected = newestExpectedOpenTime(calendar, timeframe, now);
  if (expected === undefined || expected <= newest) return 0;
  return countMissingBars(gapsBetween(newest, expected + timeframeDurationMs(timeframe), timeframe, calendar));
}

/** What this instance serves for a series from its live state: the newest vector's bar and the revision it was computed at. */
export interface LiveStateSnapshot {
  /** Open time (epoch ms) of the newest bar the served values belong to. */
  readonly openTime: number;
  /** The series' revision the served values were computed at. */
  readonly revision: number;
}

/**
 * Readiness as the values this instance serves make it: while its live state lags the stored series (a repaired gap or
 * a correction not yet swapped in: an older revision), the features are GAP_DETECTED; while it has not reached the
 * newest stored bar, CATCHING_UP. A strategy reading READY then reads values computed over the stored bars.
 * @param storedRevision the stored series' revision (series_state)
 */
export function withLiveState(readiness: Readiness, live: LiveStateSnapshot, storedRevision: number): Readiness {
  const lagging = [
    ...(live.revision < storedRevision ? [ReadinessStatus.GAP_DETECTED] : []),
    ...(readiness.newestOpenTime !== undefined && live.openTime < readiness.newestOpenTime ? [ReadinessStatus.CATCHING_UP] : []),
  ];
  if (lagging.length === 0 || readiness.features.length === 0) return readiness;
  const features = readiness.features.map((feature) => ({ ...feature, status: worstStatus([feature.status, ...lagging]) }));
  return { ...readiness, status: worstStatus(features.map((feature) => feature.status)), features };
}
