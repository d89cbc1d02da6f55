import type { Bar } from "../../domain/bar";
import type { Timeframe } from "../../domain/timeframe";

/** The topics of live events; each event belongs to one series (its routing key is the series key, "BTCUSDT/1m"). */
export enum LiveTopic {
  /** Closed bars were stored (new, or corrections of stored ones): BarsClosedEvent. Shared by every server instance. */
  BARS_CLOSED = "BARS_CLOSED",
  /** The still-forming bar changed: BarFormingEvent. Shared by every server instance. */
  BAR_FORMING = "BAR_FORMING",
  /** Feature values of a series' bar were computed (closed or forming): FeatureValuesEvent. Local to one instance. */
  FEATURES_UPDATED = "FEATURES_UPDATED",
  /** A series' readiness for some set of features changed: ReadinessEvent. Local to one instance. */
  READINESS_CHANGED = "READINESS_CHANGED",
}

/** Closed bars of one series stored by one write, oldest first. */
export interface BarsClosedEvent {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** The bars the write stored or changed, oldest first. */
  readonly bars: readonly Bar[];
  /**
   * Open time (epoch ms) of the series' newest stored bar before the write; null when the series was empty. A
   * materializer whose state ends elsewhere missed something and resynchronizes from the store.
   */
  readonly previousNewestOpenTime: number | null;
  /**
   * Open time (epoch ms) of the oldest bar the write changed at or before `previousNewestOpenTime` (a late bar or a
   * correction): the series' history changed from there, and every value from it on is recomputed; null when
   * every bar was appended after the newest.
   */
  readonly rewrittenFrom: number | null;
  /** The series' revision after the write: it grows by one with every write that rewrote history. */
  readonly revision: number;
}

/** The still-forming (not yet closed) bar of one series, as last sent. Never stored. */
export interface BarFormingEvent {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly bar: Bar;
}

/** Values of a series' active features at one bar. */
export interface FeatureValuesEvent {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open time (epoch ms) of the bar the values belong to. */
  readonly openTime: number;
  /** False for a forming bar: the values will change until the bar closes, and are never stored. */
  readonly final: boolean;
  /** The series' revision the values were computed at (see BarsClosedEvent.revision). */
  readonly revision: number;
  /** When the values were computed, epoch ms. */
  readonly computedAt: number;
  /** Feature reference ("rsi_14@1") → value; null where undefined (before the lookback). */
  readonly values: Readonly<Record<string, number | null>>;
}

/** Payload types of each topic. */
export interface LiveEventPayloads {
  [LiveTopic.BARS_CLOSED]: BarsClosedEvent;
  [LiveTopic.BAR_FORMING]: BarFormingEvent;
  [LiveTopic.FEATURES_UPDATED]: FeatureValuesEvent;
  [LiveTopic.READINESS_CHANGED]: unknown;
}

/**
 * A publish/subscribe channel of live events, routed by topic and series key. Adapters: store/memory (one
 * process) and store/redis (Redis pub/sub: every server instance hears every event). Events are delivered at
 * most once, in publication order per publisher; a listener that missed some resynchronizes from the store.
 */
export interface LiveEventBus {
  /** Publishes `payload` to the subscribers of (`topic`, `seriesKey`). Never throws; a failed delivery is the adapter's to log. */
  publish<T extends LiveTopic>(topic: T, seriesKey: string, payload: LiveEventPayloads[T]): void;
  /** The events of (`topic`, `seriesKey`) from now on, until the iterator is returned. */
  subscribe<T extends LiveTopic>(topic: T, seriesKey: string): AsyncIterableIterator<LiveEventPayloads[T]>;
}
