import { createPubSub } from "@graphql-yoga/subscription";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import type { Redis } from "ioredis";
import type { LiveEventBus, LiveEventPayloads, LiveTopic } from "../../features/ports/live-events";

/** What the Redis event bus is built from. */
export interface RedisEventBusOptions {
  /** A connection for PUBLISH (may be shared with commands). */
  readonly publisher: Redis;
  /** A dedicated connection for SUBSCRIBE (Redis puts it in subscriber mode), created with `queueWhileDisconnected`. */
  readonly subscriber: Redis;
  /** Channel prefix, e.g. "candela:live". */
  readonly namespace: string;
  /** Told when a publish or subscribe fails (Redis down): the event is lost, listeners resynchronize from the store. */
  readonly onFailure?: (error: unknown) => void;
}

/**
 * LiveEventBus over Redis pub/sub (graphql-yoga's pubsub with @graphql-yoga/redis-event-target, as type-graphql's
 * redis-subscriptions example does): every server instance subscribed to a (topic, series) hears what any instance
 * publishes. Channels are `<namespace>:<topic>:<series key>`; payloads travel as JSON (numbers round-trip exactly).
 * Delivery is at most once: an event published while Redis is down is lost, and consumers resynchronize from the store.
 */
export function createRedisEventBus(options: RedisEventBusOptions): LiveEventBus {
  const fail = (error: unknown) => options.onFailure?.(error);
  // The event target fires its Redis commands without awaiting them; these two stand-ins catch their failures, which
  // would otherwise be unhandled rejections. They implement the only methods the event target calls.
  const publishClient = { publish: (channel: string, message: string) => options.publisher.publish(channel, message).catch(fail) };
  const subscribeClient = {
    on: (event: "message", listener: (channel: string, message: string) => void) => options.subscriber.on(event, listener),
    subscribe: (channel: string) => options.subscriber.subscribe(channel).catch(fail),
    unsubscribe: (channel: string) => options.subscriber.unsubscribe(channel).catch(fail),
  };
  const eventTarget = createRedisEventTarget({ publishClient: publishClient as unknown as Redis, subscribeClient: subscribeClient as unknown as Redis });
  const pubsub = createPubSub({ eventTarget });
  const channel = (topic: LiveTopic) => `${options.namespace}:${topic}`;
  return {
    publish<T extends LiveTopic>(topic: T, seriesKey: string, payload: LiveEventPayloads[T]): void {
      pubsub.publish(channel(topic), seriesKey, payload);
    },
    subscribe<T extends LiveTopic>(topic: T, seriesKey: string): AsyncIterableIterator<LiveEventPayloads[T]> {
      return pubsub.subscribe(channel(topic), seriesKey) as AsyncIterableIterator<LiveEventPayloads[T]>;
    },
  };
}
