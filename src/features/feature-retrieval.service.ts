import { computationOfFeature } from "./feature-computation";
import { allocateBarColumns, type BarColumns } from "../domain/bar";
import { badUserInput } from "../domain/errors";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { SeriesContext } from "../indicators/series-context";
import { featureSetFingerprint, type FeatureDefinition } from "./feature-definition";
import { FeatureValueSource, type FeatureColumn, type FeatureFrame, type FeatureQuery } from "./feature-frame";
import type { FeatureFrameSource } from "./ports/feature-frame-source";
import type { FeatureResolver } from "./ports/feature-resolver";
import { requireInstrument } from "./instrument-lookup";
import type { MarketDataReader } from "./ports/market-data-reader";
import type { OfflineFeatureStore, OfflineSeriesSession } from "./ports/offline-feature-store";
import type { OpenTimeRange } from "../domain/open-time-range";
import { EARLIEST_OPEN_TIME, validateRange } from "./query-limits";

/**
 * Historical feature retrieval, point-in-time correct. A feature's value at a bar is the indicator over
 * every stored bar of the series up to that bar; the offline store keeps, per feature and series, every
 * value from the series' first bar through a materialized open time. A request reads what is materialized
 * and computes the rest from the bars, writing it through, under the series lock so no bar changes meanwhile.
 * Values are therefore identical whether they were stored, partly stored or computed.
 */
export class FeatureRetrievalService implements FeatureFrameSource {
  constructor(
    private readonly registry: FeatureResolver,
    private readonly reader: MarketDataReader,
    private readonly offlineStore: OfflineFeatureStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * @param signal when it aborts, the work stops: statements are cancelled, the series lock released, nothing
   *   more is computed or written, and the call rejects with `signal.reason`
   * @throws DomainError NOT_FOUND (symbol, feature), BAD_USER_INPUT (range, references, a feature scoped to
   *   another timeframe)
   */
  async retrieve(query: FeatureQuery, signal?: AbortSignal): Promise<FeatureFrame> {
    validateRange(query, query.timeframe, query.maxBars);
    const definitions = await this.registry.resolve(query.features);
    for (const definition of definitions) {
      if (definition.timeframe !== null && definition.timeframe !== query.timeframe) {
        throw badUserInput(
          `Feature "${definition.name}@${definition.version}" is defined for ${timeframeLabel(definition.timeframe)} bars only, not ${timeframeLabel(query.timeframe)}.`,
        );
      }
    }
    const { calendar } = await requireInstrument(this.reader, query.symbol);
    const now = this.clock();
    const asOf = Math.min(query.asOf ?? now, now);
    // Only closed bars count: a bar is visible once its close time (open + duration) is at or before asOf.
    const range: OpenTimeRange = { from: query.from, to: Math.min(query.to, asOf - timeframeDurationMs(query.timeframe)) };
    const fingerprint = featureSetFingerprint(definitions);
    if (range.to < range.from) {
      return { bars: allocateBarColumns(0), columns: definitions.map((definition) => ({ definition, values: new Float64Array(0), source: FeatureValueSource.MATERIALIZED, materializedCount: 0 })), asOf, featureSetFingerprint: fingerprint, incompleteOpenTimes: [] };
    }
    return this.offlineStore.withSeriesLock(query.symbol, query.timeframe, async (session) => {
      const { columns: bars, incompleteOpenTimes } = await this.reader.readColumnsWithWarmup(query.symbol, query.timeframe, range, 0, signal);
      const lastOpenTime = bars.length > 0 ? bars.openTime[bars.length - 1] : undefined;
      const through = await session.materializedThrough(definitions.map((definition) => definition.id));
      const stale = definitions.filter((definition) => lastOpenTime !== undefined && (through.get(definition.id) ?? -Infinity) < lastOpenTime);
      const computed = await this.materialize(session, query.symbol, { timeframe: query.timeframe, calendar }, range.to, stale, through, signal);
      const columns: FeatureColumn[] = [];
      for (const definition of definitions) {
        const fresh = computed.get(definition.id);
        if (fresh === undefined) {
          columns.push({ definition, values: await this.readAligned(session, definition, range, bars), source: FeatureValueSource.MATERIALIZED, materializedCount: bars.length });
          continue;
        }
        // The range's bars at or before the old materialized open time were served from the store before.
        const materializedCount = firstIndexAfter(bars.openTime, through.get(definition.id));
        const source = materializedCount === 0 ? FeatureValueSource.COMPUTED : FeatureValueSource.PARTLY_MATERIALIZED;
        columns.push({ definition, values: fresh.subarray(fresh.length - bars.length), source, materializedCount });
      }
      return { bars, columns, asOf, featureSetFingerprint: fingerprint, incompleteOpenTimes };
    }, signal);
  }

  /**
   * Computes `definitions` over every stored bar up to `to` and writes the values after each one's
   * materialized open time. Returns each feature's full column (all bars up to `to`).
   */
  private async materialize(
    session: OfflineSeriesSession,
    symbol: string,
    context: SeriesContext,
    to: number,
    definitions: readonly FeatureDefinition[],
    through: ReadonlyMap<number, number>,
    signal: AbortSignal | undefined,
  ): Promise<Map<number, Float64Array>> {
    const computed = new Map<number, Float64Array>();
    if (definitions.length === 0) return computed;
    const { columns: history } = await this.reader.readColumnsWithWarmup(symbol, context.timeframe, { from: EARLIEST_OPEN_TIME, to }, 0, signal);
    const lastOpenTime = history.openTime[history.length - 1];
    for (const definition of definitions) {
      signal?.throwIfAborted();
      const { computation, output } = computationOfFeature(definition);
      const values = computation.computeBatch(definition.parameters, history, context)[output];
      const firstNew = firstIndexAfter(history.openTime, through.get(definition.id));
      await session.writeValues(definition.id, history.openTime.subarray(firstNew), values.subarray(firstNew), lastOpenTime);
      computed.set(definition.id, values);
    }
    return computed;
  }

  private async readAligned(session: OfflineSeriesSession, definition: FeatureDefinition, range: OpenTimeRange, bars: BarColumns): Promise<Float64Array> {
    const stored = await session.readValues(definition.id, range);
    if (stored.openTimes.length !== bars.length) {
      // Materialization covers every bar through its open time; anything else is a broken invariant.
      throw new Error(`Offline store of ${definition.name}@${definition.version} holds ${stored.openTimes.length} values for ${bars.length} bars.`);
    }
    return stored.values;
  }
}

/** Index of the first open time strictly after `openTime` (0 when undefined). */
function firstIndexAfter(openTimes: Float64Array, openTime: number | undefined): number {
  if (openTime === undefined) return 0;
  let low = 0;
  let high = openTimes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (openTimes[middle] <= openTime) low = middle + 1;
    else high = middle;
  }
  return low;
}
