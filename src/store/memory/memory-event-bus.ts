import { createPubSub } from "@graphql-yoga/subscription";
import type { LiveEventBus, LiveEventPayloads, LiveTopic } from "../../features/ports/live-events";

/**
 * LiveEventBus inside one process (no REDIS_URL, and every instance's local bus): graphql-yoga's pubsub over an
 * in-process EventTarget. Delivery is synchronous with `publish`; each subscriber's iterator buffers what it has not
 * taken yet (bound it with graphql/bounded-events.ts where a slow consumer could lag).
 */
export function createMemoryEventBus(): LiveEventBus {
  const pubsub = createPubSub();
  return {
    publish<T extends LiveTopic>(topic: T, seriesKey: string, payload: LiveEventPayloads[T]): void {
      pubsub.publish(topic, seriesKey, payload);
    },
    subscribe<T extends LiveTopic>(topic: T, seriesKey: string): AsyncIterableIterator<LiveEventPayloads[T]> {
      return pubsub.subscribe(topic, seriesKey) as AsyncIterableIterator<LiveEventPayloads[T]>;
    },
  };
}
