import { Repeater, filter, map, pipe } from "@graphql-yoga/subscription";
import { notFound } from "../domain/errors";
import { seriesKey } from "../domain/series-key";
import type { Timeframe } from "../domain/timeframe";
import type { LiveMaterializer } from "../features/live/live-materializer";
import type { FeatureResolver } from "../features/ports/feature-resolver";
import { LiveTopic, type BarFormingEvent, type BarsClosedEvent, type FeatureValuesEvent, type LiveEventBus } from "../features/ports/live-events";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { BarChangeFeed } from "../features/ports/bar-change-feed";
import type { Readiness } from "../features/readiness";
import type { ReadinessService } from "../features/readiness.service";
import { boundedEvents } from "./bounded-events";

/** What the subscriptions are built from. */
export interface LiveSubscriptionDependencies {
  readonly registry: FeatureResolver;
  readonly reader: Pick<MarketDataReader, "findInstruments">;
  readonly materializer: LiveMaterializer;
  /** Bar events of every instance (Redis pub/sub, or this process without Redis). */
  readonly sharedEvents: LiveEventBus;
  /** Feature values computed by this instance's materializer. */
  readonly localEvents: LiveEventBus;
  /** Most events queued for one subscription before its oldest are dropped. */
  readonly queueCapacity: number;
  /** Told of every dropped event (metrics). */
  readonly onDrop: () => void;
  /** Told when a subscription starts (+1) or ends (−1) (metrics). */
  readonly onSubscribers: (delta: number) => void;
  readonly readiness: Pick<ReadinessService, "evaluate">;
  /** Committed bar changes, which may change readiness. */
  readonly changes: BarChangeFeed;
  /** How often readiness is evaluated again without a bar change (catching up is a matter of time), ms. */
  readonly readinessPollMs: number;
}

/** A series' readiness and the exact references of its features. */
export interface ReadinessUpdate {
  readonly references: readonly string[];
  readonly readiness: Readiness;
}

/** The feature values of one event, the requested references among them. */
export interface FeatureUpdate {
  readonly event: FeatureValuesEvent;
  /** The exact references requested ("rsi_14@1"), in request order. */
  readonly references: readonly string[];
}

/**
 * The event streams behind the GraphQL subscriptions. Each stream is bounded (boundedEvents): a subscriber that
 * reads slower than events arrive loses its oldest undelivered events, counted by `onDrop`, and never slows other
 * subscribers or grows memory without bound.
 */
export class LiveSubscriptions {
  constructor(private readonly dependencies: LiveSubscriptionDependencies) {}

  /** Closed bars of one series as they are stored, by any instance. */
  barsClosed(symbol: string, timeframe: Timeframe): AsyncIterableIterator<BarsClosedEvent> {
    return this.bounded(this.dependencies.sharedEvents.subscribe(LiveTopic.BARS_CLOSED, seriesKey(symbol, timeframe)));
  }

  /** The forming bar of one series each time it changes. */
  barForming(symbol: string, timeframe: Timeframe): AsyncIterableIterator<BarFormingEvent> {
    return this.bounded(this.dependencies.sharedEvents.subscribe(LiveTopic.BAR_FORMING, seriesKey(symbol, timeframe)));
  }

  /**
   * Feature values of the series (symbol, timeframe) of each symbol: first the current ones, then each time a bar
   * closes (and, with `includeForming`, each time the forming bar changes). Starts the live materializer on each series.
   * @throws DomainError NOT_FOUND (unknown symbol or feature), BAD_USER_INPUT (references), UNAVAILABLE (database)
   */
  async featureUpdates(symbols: readonly string[], timeframe: Timeframe, features: readonly string[], includeForming: boolean): Promise<AsyncIterableIterator<FeatureUpdate>> {
    const { registry, reader, materializer, localEvents } = this.dependencies;
    const definitions = await registry.resolve(features);
    const instruments = await reader.findInstruments(symbols);
    const unknown = symbols.filter((symbol) => !instruments.has(symbol));
    if (unknown.length > 0) throw notFound(`Unknown symbol ${unknown.map((symbol) => `"${symbol}"`).join(", ")}. The \`instruments\` query lists the stored symbols.`, { symbols: unknown });
    const references = definitions.map((definition) => `${definition.name}@${definition.version}`);
    const sources = [...new Set(symbols)].map((symbol) => localEvents.subscribe(LiveTopic.FEATURES_UPDATED, seriesKey(symbol, timeframe)));
    const updates = pipe(
      Repeater.merge(sources),
      filter((event: FeatureValuesEvent) => includeForming || event.final),
      map((event: FeatureValuesEvent): FeatureUpdate => ({ event, references })),
    ) as AsyncIterableIterator<FeatureUpdate>;
    // Listening starts now (the bounded queue takes events at once), before activation: values computed meanwhile
    // are not missed.
    const events = this.bounded(updates);
    let current: FeatureUpdate[];
    try {
      const series = await Promise.all([...instruments.values()].map((instrument) => materializer.activate(instrument.symbol, timeframe, instrument.calendar, definitions)));
      current = series.flatMap((live) => {
        const latest = live.latest;
        if (latest === undefined) return [];
        const event: FeatureValuesEvent = { symbol: live.symbol, timeframe, openTime: latest.openTime, final: true, revision: latest.revision, computedAt: latest.computedAt, values: latest.values };
        return [{ event, references }];
      });
    } catch (error) {
      await events.return?.();
      throw error;
    }
    return withCurrentFirst(current, events);
  }

  /**
   * The readiness of a series for `features`: first the current one, then each transition (a change of the overall or
   * of any feature's status), evaluated again on every committed bar change of the symbol and every `readinessPollMs`.
   * @throws DomainError as ReadinessService.evaluate (for the first evaluation; later failures are skipped)
   */
  async readinessChanged(symbol: string, timeframe: Timeframe, features: readonly string[]): Promise<AsyncIterableIterator<ReadinessUpdate>> {
    const { readiness, changes, readinessPollMs } = this.dependencies;
    const evaluate = async (): Promise<ReadinessUpdate> => readiness.evaluate(symbol, timeframe, features);
    const first = await evaluate();
    const transitions = new Repeater<ReadinessUpdate>(async (push, stop) => {
      let last = statusesOf(first.readiness);
      let evaluating = false;
      const check = async () => {
        if (evaluating) return;
        evaluating = true;
        try {
          const next = await evaluate();
          if (statusesOf(next.readiness) !== last) {
            last = statusesOf(next.readiness);
            await push(next);
          }
        } catch {
          // A failed evaluation (database down) changes nothing; the next change or poll tries again.
        } finally {
          evaluating = false;
        }
      };
      await push(first);
      const unsubscribe = changes.onBarsChanged((change) => {
        if (change === undefined || change.symbol === symbol) void check();
      });
      const timer = setInterval(() => void check(), readinessPollMs);
      await stop;
      clearInterval(timer);
      unsubscribe();
    });
    return this.bounded(transitions);
  }

  private bounded<T>(source: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    const { queueCapacity, onDrop, onSubscribers } = this.dependencies;
    onSubscribers(1);
    const events = boundedEvents(source, queueCapacity, onDrop);
    let ended = false;
    const end = events.return!.bind(events);
    events.return = async () => {
      if (!ended) onSubscribers(-1);
      ended = true;
      return end();
    };
    return events;
  }
}

/** The statuses a transition is judged by: the overall one and each feature's. */
function statusesOf(readiness: Readiness): string {
  return [readiness.status, ...readiness.features.map((feature) => feature.status)].join(",");
}

/**
 * The subscription's stream with each series' current values first (also when its series was already live, whose
 * activation published nothing), then `events`, skipping the one event that repeats a current value (published by
 * the activation this subscription started).
 */
function withCurrentFirst(current: readonly FeatureUpdate[], events: AsyncIterableIterator<FeatureUpdate>): AsyncIterableIterator<FeatureUpdate> {
  const pending = new Set(current.map(({ event }) => sameValuesKey(event)));
  const queue = [...current];
  const iterator: AsyncIterableIterator<FeatureUpdate> = {
    async next(): Promise<IteratorResult<FeatureUpdate>> {
      const first = queue.shift();
      if (first !== undefined) return { value: first, done: false };
      for (;;) {
        const result = await events.next();
        if (result.done === true || !pending.delete(sameValuesKey(result.value.event))) return result;
      }
    },
    return: async () => (await events.return?.()) ?? { value: undefined, done: true },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** What makes two final value events the same: series, bar and revision. */
function sameValuesKey(event: FeatureValuesEvent): string {
  return `${event.symbol}/${event.timeframe}/${event.openTime}/${event.revision}/${event.final}`;
}
