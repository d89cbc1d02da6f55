import { badUserInput, notFound } from "../domain/errors";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { floorToGrid, timeframeDurationMs, type Timeframe } from "../domain/timeframe";
import type { FeatureDefinition } from "./feature-definition";
import type { FeatureFrameSource } from "./ports/feature-frame-source";
import type { FeatureResolver } from "./ports/feature-resolver";
import type { MarketDataReader } from "./ports/market-data-reader";
import { MAX_FEATURES_PER_REQUEST } from "./query-limits";

/** How far before an event its bar may lie: a bar closed more than this before it is too old to stand for it, ms. */
export const MAX_EVENT_LOOKBACK_MS = 7 * 86_400_000;
/** Grid slots one retrieval of a join spans. */
const WINDOW_BARS = 100_000;

/** An event to join features to: a symbol and an instant (epoch ms), e.g. a trade or a label's time. */
export interface JoinEvent {
  readonly symbol: string;
  readonly timestamp: number;
}

/** What a point-in-time join asks for. */
export interface JoinRequest {
  readonly events: readonly JoinEvent[];
  readonly timeframe: Timeframe;
  /** Feature references ("rsi_14", "rsi_14@2"). */
  readonly features: readonly string[];
  /** Only bars closed at or before it count, whatever the event's time (default: now). */
  readonly asOf?: number;
}

/** One event with the values known at its time. */
export interface JoinedEvent extends JoinEvent {
  /** Open time (epoch ms) of the newest bar closed at or before the event; undefined when none closed within MAX_EVENT_LOOKBACK_MS. */
  readonly openTime: number | undefined;
  /** One value per feature, in request order; NaN where undefined (warm-up, or no bar). */
  readonly values: readonly number[];
}

/** The joined events, in the request's order, and the definitions their values belong to. */
export interface JoinResult {
  readonly definitions: readonly FeatureDefinition[];
  readonly rows: readonly JoinedEvent[];
  /** Epoch ms: the point in time the join was cut at. */
  readonly asOf: number;
}

/**
 * Point-in-time join (Feast's `get_historical_features`): each event gets each feature's value at the newest bar of its
 * symbol closed at or before the event's time (never a bar that closed after it: no look-ahead), from the same
 * retrieval as `series` (offline store, or computed with full warm-up). Events are grouped by symbol and read in
 * windows of at most 100,000 bars, so a join's cost follows the bars its events span, not the number of events.
 */
export class PointInTimeJoinService {
  constructor(
    private readonly frames: FeatureFrameSource,
    private readonly reader: MarketDataReader,
    private readonly registry: FeatureResolver,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * @param maxEvents the caller's limit (GraphQL: 1,000; the HTTP export: 1,000,000)
   * @throws DomainError BAD_USER_INPUT (events, symbols, features), NOT_FOUND (symbol, feature), UNAVAILABLE (store)
   */
  async join(request: JoinRequest, maxEvents: number, signal?: AbortSignal): Promise<JoinResult> {
    const { events, timeframe } = request;
    if (events.length === 0 || events.length > maxEvents) throw badUserInput(`Give 1 to ${maxEvents} events (got ${events.length}).`);
    if (request.features.length === 0 || request.features.length > MAX_FEATURES_PER_REQUEST) throw badUserInput(`Name 1 to ${MAX_FEATURES_PER_REQUEST} features.`);
    const invalid = events.findIndex((event) => !isValidSymbol(event.symbol) || !Number.isFinite(event.timestamp));
    if (invalid >= 0) throw badUserInput(`Event ${invalid} is invalid: its symbol must be ${SYMBOL_RULE}, its timestamp an instant.`, { event: invalid });
    const definitions = await this.registry.resolve(request.features);
    const bySymbol = new Map<string, number[]>();
    events.forEach((event, index) => {
      const indices = bySymbol.get(event.symbol);
      if (indices === undefined) bySymbol.set(event.symbol, [index]);
      else indices.push(index);
    });
    const known = await this.reader.findInstruments([...bySymbol.keys()]);
    const unknown = [...bySymbol.keys()].find((symbol) => !known.has(symbol));
    if (unknown !== undefined) throw notFound(`Unknown symbol "${unknown}". The \`instruments\` query lists the stored symbols.`, { symbol: unknown });
    const now = this.clock();
    const asOf = Math.min(request.asOf ?? now, now);
    const duration = timeframeDurationMs(timeframe);
    const lookbackBars = Math.ceil(MAX_EVENT_LOOKBACK_MS / duration);
    const rows: JoinedEvent[] = new Array(events.length);
    for (const [symbol, indices] of bySymbol) {
      indices.sort((a, b) => events[a].timestamp - events[b].timestamp);
      let next = 0;
      while (next < indices.length) {
        signal?.throwIfAborted();
        // The newest bar an event may use opened at or before timestamp - duration (it closed by the timestamp).
        const newestOpen = (index: number) => floorToGrid(events[index].timestamp - duration, timeframe);
        const from = newestOpen(indices[next]) - lookbackBars * duration;
        let last = next;
        while (last + 1 < indices.length && (newestOpen(indices[last + 1]) - from) / duration < WINDOW_BARS) last++;
        const to = newestOpen(indices[last]);
        const frame = await this.frames.retrieve({ symbol, timeframe, from, to, features: request.features, asOf, maxBars: WINDOW_BARS }, signal);
        const openTimes = frame.bars.openTime;
        for (let position = next; position <= last; position++) {
          const index = indices[position];
          const row = newestAtOrBefore(openTimes, newestOpen(index));
          const inReach = row >= 0 && openTimes[row] >= newestOpen(index) - lookbackBars * duration;
          rows[index] = {
            ...events[index],
            openTime: inReach ? openTimes[row] : undefined,
            values: frame.columns.map((column) => (inReach ? column.values[row] : Number.NaN)),
          };
        }
        next = last + 1;
      }
    }
    return { definitions, rows, asOf };
  }
}

/** Index of the last element of `sorted` at or before `limit`; -1 when none. */
function newestAtOrBefore(sorted: Float64Array, limit: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= limit) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
