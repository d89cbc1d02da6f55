import { Client, type ClientConfig } from "pg";
import type { ApiKeyRevocationFeed } from "../../access/api-key-revocations";
import type { BarChangeFeed, BarChangeListener } from "../../features/ports/bar-change-feed";
import { BAR_CHANGES_CHANNEL, parseBarChange } from "../offline/bar-changes";
import { API_KEY_REVOCATIONS_CHANNEL } from "../registry/api-key-revocations";

/** Longest pause between reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/** What the listener reports besides notifications, for logs. */
export interface NotificationListenerEvents {
  /** Connected (again); after a reconnection, listeners were told that changes may have been missed. */
  readonly onConnected?: () => void;
  /** The connection failed or dropped; it is retried with backoff. */
  readonly onDisconnected?: (error: unknown) => void;
  /** A notification could not be parsed (logged and skipped). */
  readonly onMalformed?: (error: unknown) => void;
}

/**
 * The server's PostgreSQL LISTEN connection, one per server, carrying two feeds: bar changes, which every writer (live
 * ingest, CSV import, deletion; any process) notifies inside its transaction (bar-changes.ts), and API key
 * revocations, notified by the revoking transaction (registry/api-key-revocations.ts). A dropped connection is
 * re-established with exponential backoff (100 ms doubling up to 5 s); since notifications sent meanwhile are lost,
 * listeners of both feeds then receive `undefined` (resynchronize everything).
 */
export class PostgresNotificationListener implements BarChangeFeed, ApiKeyRevocationFeed {
  private readonly listeners: BarChangeListener[] = [];
  private readonly revocationListeners: ((prefix: string | undefined) => void)[] = [];
  private client: Client | undefined;
  private stopped = false;
  private connectedOnce = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: ClientConfig,
    private readonly events: NotificationListenerEvents = {},
  ) {}

  onBarsChanged(listener: BarChangeListener): () => void {
    return subscribe(this.listeners, listener);
  }

  onKeyRevoked(listener: (prefix: string | undefined) => void): () => void {
    return subscribe(this.revocationListeners, listener);
  }

  /** Connects and starts listening; resolves once listening (or after the first failure, retrying in the background). */
  async start(): Promise<void> {
    await this.connect(100);
  }

  /** True while the LISTEN connection is up (for health checks). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(delayMs: number): Promise<void> {
    if (this.stopped) return;
    const client = new Client(this.connection);
    client.on("notification", (message) => {
      if (message.payload === undefined) return;
      if (message.channel === API_KEY_REVOCATIONS_CHANNEL) {
        for (const listener of [...this.revocationListeners]) listener(message.payload);
        return;
      }
      if (message.channel !== BAR_CHANGES_CHANNEL) return;
      try {
        const change = parseBarChange(message.payload);
        for (const listener of [...this.listeners]) listener(change);
      } catch (error) {
        this.events.onMalformed?.(error);
      }
    });
    const lost = (error: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.events.onDisconnected?.(error);
      this.scheduleReconnect(100);
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN ${BAR_CHANGES_CHANNEL}`);
      await client.query(`LISTEN ${API_KEY_REVOCATIONS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      this.events.onDisconnected?.(error);
      this.scheduleReconnect(Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS));
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.events.onConnected?.();
    if (this.connectedOnce) {
      for (const listener of [...this.listeners]) listener(undefined);
      for (const listener of [...this.revocationListeners]) listener(undefined);
    }
    this.connectedOnce = true;
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => void this.connect(delayMs), delayMs);
    this.retryTimer.unref();
  }
}

/** Adds `listener` to `listeners`; returns the function that removes it. */
function subscribe<Listener>(listeners: Listener[], listener: Listener): () => void {
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}
