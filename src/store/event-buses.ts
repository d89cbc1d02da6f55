import type { LiveEventBus } from "../features/ports/live-events";
import { createMemoryEventBus } from "./memory/memory-event-bus";
import { closeRedisClient, createRedisClient, type RedisConnectionEvent } from "./redis/redis-client";
import { createRedisEventBus } from "./redis/redis-event-bus";

/** The two live event buses of one server instance. */
export interface EventBuses {
  /** Heard by every instance: Redis pub/sub with REDIS_URL, this process without. */
  readonly shared: LiveEventBus;
  /** Heard by this instance only (feature values its materializer computed). */
  readonly local: LiveEventBus;
  /** "redis" or "process". */
  readonly mode: "redis" | "process";
  /** Closes the Redis connections. */
  close(): Promise<void>;
}

/** What `createEventBuses` needs. */
export interface EventBusOptions {
  /** REDIS_URL; undefined for an in-process shared bus. */
  readonly redisUrl?: string;
  /** Called when an event cannot be published or a subscription fails (Redis down). */
  readonly onFailure?: (error: unknown) => void;
  /** Called on Redis connection events, with the connection's name. */
  readonly onRedisEvent?: (connection: string, event: RedisConnectionEvent) => void;
}

/**
 * Builds the live event buses: the shared one over Redis pub/sub (two connections of its own: one publishes, one is
 * in subscriber mode and queues its SUBSCRIBEs while Redis is down) or in-process without REDIS_URL, and the local
 * one in-process. Never throws for an unreachable Redis: events published meanwhile are lost (consumers resync).
 */
export function createEventBuses(options: EventBusOptions = {}): EventBuses {
  const local = createMemoryEventBus();
  if (options.redisUrl === undefined) return { shared: createMemoryEventBus(), local, mode: "process", close: async () => undefined };
  const connection = (name: string, queueWhileDisconnected: boolean) =>
    createRedisClient(options.redisUrl!, { connectionName: name, queueWhileDisconnected, onEvent: (event) => options.onRedisEvent?.(name, event) });
  const publisher = connection("candela-events", false);
  const subscriber = connection("candela-events-subscriber", true);
  return {
    shared: createRedisEventBus({ publisher, subscriber, namespace: "candela:live", onFailure: options.onFailure }),
    local,
    mode: "redis",
    close: async () => {
      await Promise.all([closeRedisClient(publisher), closeRedisClient(subscriber)]);
    },
  };
}
