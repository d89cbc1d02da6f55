import { badUserInput } from "../domain/errors";
import { newestExpectedOpenTime } from "../domain/expected-bars";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { FeatureDefinition } from "./feature-definition";
import type { LiveSeriesSource, LiveSeriesView } from "./live/live-series-source";
import { MAX_LATEST_WINDOW } from "./query-limits";
import type { RecentWindow } from "./live/recent-values";
import type { FeatureResolver } from "./ports/feature-resolver";
import type { MarketDataReader } from "./ports/market-data-reader";
import type { LatestFeatureVector, OnlineFeatureStore } from "./ports/online-feature-store";

/** How current one online value is. */
export enum LatestValueStatus {
  /** The value of the newest bar the instrument's calendar expects by now. */
  PRESENT = "PRESENT",
  /** The value of an older bar: the series has not received the bars the calendar expects since. */
  STALE = "STALE",
  /** No value: the symbol is unknown, has no closed bar at this timeframe, or the feature is not computed for it. */
  MISSING = "MISSING",
}

/** One feature's online value for one symbol. */
export interface LatestValue {
  /** The exact feature reference, e.g. "rsi_14@1". */
  readonly reference: string;
  /** The value; null when undefined (before the lookback) or MISSING. */
  readonly value: number | null;
  readonly status: LatestValueStatus;
  /** Open time (epoch ms) of the bar the value belongs to; undefined when MISSING. */
  readonly openTime: number | undefined;
  /** When the value was computed (epoch ms); undefined when MISSING. */
  readonly computedAt: number | undefined;
}

/** The online values of one requested symbol. */
export interface LatestFeatures {
  readonly symbol: string;
  /** False when no instrument has this symbol (every value is then MISSING). */
  readonly known: boolean;
  /** The series' revision the values were computed at; undefined without values. */
  readonly revision: number | undefined;
  /** One value per requested feature, in request order. */
  readonly values: readonly LatestValue[];
  /** The last `window` closed bars' values (request order of features), when a window was asked for. */
  readonly window: RecentWindow | undefined;
}

/**
 * The latest feature values per series (DESIGN.md retrieval path 3), served from the online store, which the live
 * materializer keeps current: the first request for a series activates it (one replay of its stored history), and
 * from then on every committed bar advances it; this service never recomputes history. When the online store
 * cannot be reached (Redis down) the values this instance's materializer holds in memory are served instead, so
 * answers stay correct. Each value says whether it is PRESENT, STALE or MISSING against the instrument's calendar.
 */
export class LatestFeaturesService {
  /**
   * @param registry resolves the requested feature references
   * @param reader finds the instruments (their calendars)
   * @param materializer keeps the series' features current
   * @param clock epoch ms
   */
  constructor(
    private readonly registry: FeatureResolver,
    private readonly reader: Pick<MarketDataReader, "findInstruments">,
    private readonly materializer: LiveSeriesSource,
    private readonly onlineStore: OnlineFeatureStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * @param symbols tickers (the GraphQL boundary bounds them: MAX_LATEST_SYMBOLS); each gets an entry, unknown ones too
   * @param features feature references ("rsi_14", "rsi_14@2")
   * @param window when given, also the values of the last `window` closed bars (1..MAX_LATEST_WINDOW)
   * @returns the exact references of the features ("rsi_14@1"), and one entry per symbol in request order
   * @throws DomainError BAD_USER_INPUT (bad references, a feature scoped to another timeframe, a window out of
   *   range), NOT_FOUND (feature), UNAVAILABLE (database unreachable while a series has to be activated)
   */
  async latest(
    symbols: readonly string[],
    timeframe: Timeframe,
    features: readonly string[],
    window?: number,
  ): Promise<{ references: string[]; entries: LatestFeatures[] }> {
    if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= MAX_LATEST_WINDOW)) {
      throw badUserInput(`\`window\` must be a whole number of bars from 1 to ${MAX_LATEST_WINDOW}; got ${window}.`);
    }
    const definitions = await this.registry.resolve(features);
    for (const definition of definitions) {
      if (definition.timeframe !== null && definition.timeframe !== timeframe) {
        throw badUserInput(`Feature "${definition.name}@${definition.version}" is defined for ${timeframeLabel(definition.timeframe)} bars only, not ${timeframeLabel(timeframe)}.`);
      }
    }
    const references = definitions.map((definition) => `${definition.name}@${definition.version}`);
    const live = await this.activate(symbols, timeframe, definitions);
    const stored = await this.onlineStore.readLatest([...live.keys()], timeframe).catch(() => new Map<string, LatestFeatureVector>());
    const now = this.clock();
    const entries = symbols.map((symbol): LatestFeatures => {
      const series = live.get(symbol);
      if (series === undefined) return { symbol, known: false, revision: undefined, values: references.map(missing), window: undefined };
      const vectors = [stored.get(symbol), series.latest].filter((vector): vector is LatestFeatureVector => vector !== undefined).sort(newestFirst);
      const expected = newestExpectedOpenTime(series.context.calendar, timeframe, now);
      const values = references.map((reference): LatestValue => {
        const vector = vectors.find((candidate) => reference in candidate.values);
        if (vector === undefined) return missing(reference);
        const current = expected === undefined || vector.openTime >= expected;
        return { reference, value: vector.values[reference], status: current ? LatestValueStatus.PRESENT : LatestValueStatus.STALE, openTime: vector.openTime, computedAt: vector.computedAt };
      });
      return { symbol, known: true, revision: vectors[0]?.revision, values, window: window === undefined ? undefined : windowOf(series, definitions, window) };
    });
    return { references, entries };
  }

  /** Activates the features on each known symbol's series; unknown symbols are absent from the result. */
  private async activate(symbols: readonly string[], timeframe: Timeframe, definitions: readonly FeatureDefinition[]): Promise<Map<string, LiveSeriesView>> {
    const live = new Map<string, LiveSeriesView>();
    const inactive: string[] = [];
    for (const symbol of new Set(symbols)) {
      const series = this.materializer.get(symbol, timeframe);
      const complete = series !== undefined && definitions.every((definition) => series.features.some((feature) => feature.id === definition.id));
      if (complete) live.set(symbol, series);
      else inactive.push(symbol);
    }
    if (inactive.length > 0) {
      const instruments = await this.reader.findInstruments(inactive);
      const activated = await Promise.all(
        [...instruments.values()].map((instrument) => this.materializer.activate(instrument.symbol, timeframe, instrument.calendar, definitions)),
      );
      for (const series of activated) live.set(series.symbol, series);
    }
    return live;
  }
}

function missing(reference: string): LatestValue {
  return { reference, value: null, status: LatestValueStatus.MISSING, openTime: undefined, computedAt: undefined };
}

/** Newer bar first; for the same bar, the higher revision first. */
function newestFirst(a: LatestFeatureVector, b: LatestFeatureVector): number {
  return b.openTime - a.openTime || b.revision - a.revision;
}

/** The series' last `count` values of `definitions`, in their order. */
function windowOf(series: LiveSeriesView, definitions: readonly FeatureDefinition[], count: number): RecentWindow | undefined {
  const recent = series.window(count);
  if (recent === undefined) return undefined;
  const columns = definitions.map((definition) => series.features.findIndex((feature) => feature.id === definition.id));
  return { openTimes: recent.openTimes, values: columns.map((column) => recent.values[column]) };
}
