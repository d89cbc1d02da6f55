import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { LiveSeriesObserver, StateOrigin } from "../features/live/live-series";
import type { LiveSeriesView } from "../features/live/live-series-source";
import type { LiveEventBus, LiveEventPayloads, LiveTopic } from "../features/ports/live-events";

/** The live pipeline's metrics and the callbacks that feed them. */
export interface LiveMetrics {
  readonly barsIngested: (timeframe: Timeframe, count: number) => void;
  readonly barsRejected: (count: number) => void;
  /** A closed bar's feature values were published `lagMs` after the bar's close time. */
  readonly published: (timeframe: Timeframe, lagMs: number) => void;
  readonly storeFailed: NonNullable<LiveSeriesObserver["storeFailed"]>;
  /** A live series' state was built from a checkpoint or the whole history, reading `bars` closed bars. */
  readonly stateBuilt: (origin: StateOrigin, bars: number) => void;
  readonly subscribers: (delta: number) => void;
  readonly dropped: () => void;
  /** `bus` counting each published event (by topic) in candela_live_events_published_total. */
  readonly counting: (bus: LiveEventBus) => LiveEventBus;
}

/**
 * Registers the live pipeline's metrics on `registry`:
 * - `candela_ingest_bars_total` {timeframe}: closed bars stored or corrected by live ingest;
 * - `candela_ingest_rejected_bars_total`: bars of rejected ingest requests (nothing of them was written);
 * - `candela_live_publish_lag_seconds` {timeframe}: from a bar's close time to its feature values being published
 *   (the ingest lag as a strategy sees it, including the source's own delay);
 * - `candela_live_events_published_total` {topic}: events published (bars closed, forming bars, feature values);
 * - `candela_live_store_failures_total` {store}: online store, offline store or checkpoint writes of the materializer
 *   that failed;
 * - `candela_live_state_builds_total` {origin} and `candela_live_state_build_bars_total` {origin}: live series
 *   states built from a checkpoint or by replaying the whole history, and the closed bars read to build them;
 * - `candela_subscriptions`: GraphQL subscriptions open now;
 * - `candela_subscription_dropped_events_total`: events dropped because a subscriber's queue was full;
 * - `candela_live_series`: series the live materializer keeps current;
 * - `candela_online_vector_age_seconds` {timeframe}: the oldest online vector among those series: now minus the close
 *   time of its newest closed bar (feature freshness; a market that is closed makes it grow, as it should);
 * the last two sampled from `liveSeries` on each scrape.
 */
export function registerLiveMetrics(registry: Registry, liveSeries: () => readonly LiveSeriesView[], clock: () => number = Date.now): LiveMetrics {
  const ingested = new Counter({ name: "candela_ingest_bars_total", help: "Closed bars stored or corrected by live ingest.", labelNames: ["timeframe"], registers: [registry] });
  const rejected = new Counter({ name: "candela_ingest_rejected_bars_total", help: "Bars of rejected ingest requests (nothing of them was written).", registers: [registry] });
  const lag = new Histogram({
    name: "candela_live_publish_lag_seconds",
    help: "From a bar's close time to its feature values being published, seconds.",
    labelNames: ["timeframe"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const events = new Counter({ name: "candela_live_events_published_total", help: "Live events published, by topic.", labelNames: ["topic"], registers: [registry] });
  const storeFailures = new Counter({ name: "candela_live_store_failures_total", help: "Failed online store, offline store or checkpoint writes of the live materializer.", labelNames: ["store"], registers: [registry] });
  const builds = new Counter({ name: "candela_live_state_builds_total", help: "Live series states built, by origin (checkpoint or history).", labelNames: ["origin"], registers: [registry] });
  const buildBars = new Counter({ name: "candela_live_state_build_bars_total", help: "Closed bars read to build live series states, by origin.", labelNames: ["origin"], registers: [registry] });
  const subscriptions = new Gauge({ name: "candela_subscriptions", help: "GraphQL subscriptions open now.", registers: [registry] });
  const dropped = new Counter({ name: "candela_subscription_dropped_events_total", help: "Events dropped because a subscriber's queue was full.", registers: [registry] });
  new Gauge({
    name: "candela_live_series",
    help: "Series whose features the live materializer keeps current.",
    registers: [registry],
    collect() {
      this.set(liveSeries().length);
    },
  });
  new Gauge({
    name: "candela_online_vector_age_seconds",
    help: "Oldest online feature vector per timeframe: now minus the close time of its newest closed bar, seconds.",
    labelNames: ["timeframe"],
    registers: [registry],
    collect() {
      this.reset();
      const oldest = new Map<Timeframe, number>();
      for (const series of liveSeries()) {
        const latest = series.latest;
        if (latest === undefined) continue;
        const age = (clock() - (latest.openTime + timeframeDurationMs(series.timeframe))) / 1000;
        oldest.set(series.timeframe, Math.max(age, oldest.get(series.timeframe) ?? -Infinity));
      }
      for (const [timeframe, age] of oldest) this.set({ timeframe: timeframeLabel(timeframe) }, age);
    },
  });
  return {
    barsIngested: (timeframe, count) => ingested.inc({ timeframe: timeframeLabel(timeframe) }, count),
    barsRejected: (count) => rejected.inc(count),
    published: (timeframe, lagMs) => lag.observe({ timeframe: timeframeLabel(timeframe) }, Math.max(0, lagMs) / 1000),
    storeFailed: (store) => storeFailures.inc({ store }),
    stateBuilt: (origin, bars) => {
      builds.inc({ origin });
      buildBars.inc({ origin }, bars);
    },
    subscribers: (delta) => subscriptions.inc(delta),
    dropped: () => dropped.inc(),
    counting: (bus) => ({
      publish<T extends LiveTopic>(topic: T, seriesKey: string, payload: LiveEventPayloads[T]): void {
        events.inc({ topic });
        bus.publish(topic, seriesKey, payload);
      },
      subscribe: (topic, seriesKey) => bus.subscribe(topic, seriesKey),
    }),
  };
}
