import { computationOfFeature } from "./feature-computation";
import { badUserInput } from "../domain/errors";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import { requireInstrument } from "./instrument-lookup";
import type { ConfirmedGapStore } from "./ports/confirmed-gap-store";
import type { FeatureResolver } from "./ports/feature-resolver";
import type { MarketDataReader } from "./ports/market-data-reader";
import { evaluateReadiness, withLiveState, type FeatureNeed, type LiveStateSnapshot, type Readiness } from "./readiness";
import { WARMUP_TOLERANCE } from "./indicator-query.service";

/**
 * Answers whether a series' features are fit to trade on (`readiness`): reads how many bars have closed and the
 * newest ones' open times, and evaluates them against the instrument's calendar and each feature's warm-up
 * (readiness.ts), then against the values this instance serves from its live state, when the series is live here.
 */
export class ReadinessService {
  constructor(
    private readonly registry: FeatureResolver,
    private readonly reader: MarketDataReader,
    private readonly confirmedGaps: ConfirmedGapStore,
    private readonly clock: () => number = Date.now,
    private readonly liveState: (symbol: string, timeframe: Timeframe) => LiveStateSnapshot | undefined = () => undefined,
  ) {}

  /**
   * @param features feature references ("rsi_14", "rsi_14@2"); none evaluates the series alone (data, catching up)
   * @throws DomainError NOT_FOUND (symbol, feature), BAD_USER_INPUT (references, a feature scoped to another
   *   timeframe), UNAVAILABLE (database)
   */
  async evaluate(symbol: string, timeframe: Timeframe, features: readonly string[]): Promise<{ references: string[]; readiness: Readiness }> {
    const [definitions, instrument] = await Promise.all([this.registry.resolve(features), requireInstrument(this.reader, symbol)]);
    const needs = definitions.map((definition): FeatureNeed => {
      if (definition.timeframe !== null && definition.timeframe !== timeframe) {
        throw badUserInput(`Feature "${definition.name}@${definition.version}" is defined for ${timeframeLabel(definition.timeframe)} bars only, not ${timeframeLabel(timeframe)}.`);
      }
      const { computation } = computationOfFeature(definition);
      // The newest value needs its warm-up bars before it, and itself (stored parameters are complete).
      return { reference: `${definition.name}@${definition.version}`, requiredBars: computation.warmup(definition.parameters, WARMUP_TOLERANCE, { timeframe, calendar: instrument.calendar }) + 1 };
    });
    const recentBars = Math.max(1, ...needs.map((need) => need.requiredBars));
    const now = this.clock();
    const profile = await this.reader.closedBarProfile(symbol, timeframe, now, recentBars);
    const { recentOpenTimes } = profile;
    const confirmedGaps =
      recentOpenTimes.length < 2 ? [] : await this.confirmedGaps.confirmedGaps(symbol, timeframe, recentOpenTimes[0], recentOpenTimes[recentOpenTimes.length - 1]);
    const stored = evaluateReadiness(instrument.calendar, timeframe, now, { ...profile, confirmedGaps }, needs);
    const live = this.liveState(symbol, timeframe);
    const readiness = live === undefined ? stored : withLiveState(stored, live, await this.reader.seriesRevision(symbol, timeframe));
    return { references: needs.map((need) => need.reference), readiness };
  }
}
