import { Redis } from "ioredis";

/** Connection events worth a log line. */
export type RedisConnectionEvent =
  | { readonly kind: "ready" }
  | { readonly kind: "reconnecting"; readonly delayMs: number }
  | { readonly kind: "error"; readonly error: Error }
  | { readonly kind: "end" };

/** Options of `createRedisClient`. */
export interface RedisClientOptions {
  /** Label of the connection in Redis' CLIENT LIST and in events, e.g. "candela-cache". */
  readonly connectionName?: string;
  /** Called on ready / reconnecting / error / end. Errors repeat on every failed reconnect. */
  readonly onEvent?: (event: RedisConnectionEvent) => void;
  /** Longest wait between reconnect attempts, ms. Default 1000. */
  readonly maxReconnectDelayMs?: number;
  /**
   * Queue commands while disconnected and send them on reconnection (default false: fail fast). For a subscriber
   * connection, so that a SUBSCRIBE issued while Redis is down takes effect once it is back.
   */
  readonly queueWhileDisconnected?: boolean;
}

/**
 * An ioredis client set up for use behind a circuit breaker: commands fail at once while disconnected
 * (no offline queue, no retry of a request), so the breaker sees failures instead of calls that hang;
 * the client reconnects forever in the background (50 ms doubling up to `maxReconnectDelayMs`), so it
 * recovers by itself when Redis returns. Connecting starts at once; `waitUntilReady` waits for it.
 *
 * @param url redis://[user:password@]host:port[/db]
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 1_000;
  const client = new Redis(url, {
    connectionName: options.connectionName,
    lazyConnect: true,
    enableOfflineQueue: options.queueWhileDisconnected ?? false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  });
  // Without an 'error' listener ioredis prints every failed reconnect to the console.
  client.on("error", (error: Error) => options.onEvent?.({ kind: "error", error }));
  client.on("ready", () => options.onEvent?.({ kind: "ready" }));
  client.on("reconnecting", (delayMs: number) => options.onEvent?.({ kind: "reconnecting", delayMs }));
  client.on("end", () => options.onEvent?.({ kind: "end" }));
  client.connect().catch(() => {
    // The first attempt failed: the error event reported it, and the retry strategy keeps reconnecting.
  });
  return client;
}

/**
 * Resolves true once `client` is ready, or false after `timeoutMs` (Redis down at start: the server
 * starts anyway, degraded, and the client keeps reconnecting).
 */
export async function waitUntilReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === "ready") return true;
  return new Promise<boolean>((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    client.once("ready", onReady);
  });
}

/** Closes `client` (QUIT when connected, otherwise drops the socket) and stops reconnecting. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === "ready") {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
