import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/** Events of one subscription as they arrive over a real WebSocket. */
export interface SubscriptionRecorder<T> {
  /** Every `data` payload received so far, in order. */
  readonly received: T[];
  /** Errors the server sent for the subscription. */
  readonly errors: unknown[];
  /** Resolves once `received` holds at least `count` payloads (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Ends the subscription and closes the socket. */
  close(): Promise<void>;
}

/**
 * Opens a graphql-ws connection to `httpUrl`'s /graphql (ws://), sends `connectionParams`, subscribes to `query` and
 * records what arrives. Resolves once the server acknowledged the connection; rejects with the close event when the
 * server closes it first.
 */
export async function subscribe<T = Record<string, any>>(
  httpUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, unknown> = {},
): Promise<SubscriptionRecorder<T>> {
  const received: T[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  let acknowledged!: () => void;
  let refused!: (reason: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    refused = reject;
  });
  const client: Client = createClient({
    url: `${httpUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // Before the acknowledgement, a close is the server refusing the connection (e.g. code 4401 for a bad key).
    on: { connected: () => acknowledged(), closed: (event) => refused(event) },
  });
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors !== undefined) errors.push(...message.errors);
        if (message.data != null) received.push(message.data as T);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error) => {
        // GraphQL errors of a refused operation arrive as an array; a closed socket as one event.
        if (Array.isArray(error)) errors.push(...error);
        else errors.push(error);
        for (const wake of waiters.splice(0)) wake();
      },
      complete: () => undefined,
    },
  );
  await ready;
  return {
    received,
    errors,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`only ${received.length} of ${count} events arrived within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}
