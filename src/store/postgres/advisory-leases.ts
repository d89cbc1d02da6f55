import { Client, type ClientConfig } from "pg";
import type { Lease, SeriesLeases } from "../../ingest/ports/series-leases";
import { unavailable } from "../../resilience/breaker-errors";

/** How often a waiting `acquire` tries the lock again, ms. */
const RETRY_MS = 1_000;

/** One lease held by this process. */
interface HeldLease {
  readonly lost: Promise<void>;
  readonly markLost: () => void;
}

/**
 * PostgreSQL adapter of SeriesLeases: session advisory locks (pg_try_advisory_lock on a 64-bit hash of the name) on one
 * dedicated connection per process, opened on first use. Holding a lock needs no transaction, so a lease may last for
 * hours; a process that dies or loses the connection loses its locks at once, and every lease it held reports `lost`.
 * Within the process a name is held once at a time (PostgreSQL's session locks would let the same session take it
 * twice). Waiting is polling, so one connection serves every waiter. Not behind the database breaker: waiting for a
 * lease may take as long as another process's backfill; a connection failure is UNAVAILABLE.
 */
export class AdvisoryLeases implements SeriesLeases {
  private client: Promise<Client> | undefined;
  private readonly held = new Map<string, HeldLease>();
  private closed = false;

  constructor(private readonly connection: ClientConfig) {}

  async tryAcquire(name: string): Promise<Lease | undefined> {
    if (this.closed || this.held.has(name)) return undefined;
    // Claimed before the round trip, so a concurrent call in this process sees it as held.
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    this.held.set(name, { lost, markLost });
    try {
      const client = await this.connect();
      const result = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 7)) AS locked", [name]);
      if (!result.rows[0].locked) {
        this.held.delete(name);
        return undefined;
      }
    } catch (error) {
      this.held.delete(name);
      throw unavailable("database", error);
    }
    return {
      lost,
      release: async () => {
        if (this.held.get(name)?.lost !== lost) return;
        this.held.delete(name);
        const client = await this.client?.catch(() => undefined);
        await client?.query("SELECT pg_advisory_unlock(hashtextextended($1, 7))", [name]).catch(() => undefined);
      },
    };
  }

  async acquire(name: string, signal?: AbortSignal): Promise<Lease> {
    for (;;) {
      signal?.throwIfAborted();
      const lease = await this.tryAcquire(name);
      if (lease !== undefined) return lease;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  /** Releases every lease and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    const client = await this.client?.catch(() => undefined);
    this.dropAll();
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<Client> {
    if (this.client === undefined) {
      const client = new Client(this.connection);
      client.on("error", () => this.disconnected(client));
      client.on("end", () => this.disconnected(client));
      this.client = client.connect().then(() => client);
      this.client.catch(() => (this.client = undefined));
    }
    return this.client;
  }

  /** The connection ended: every lock it held is gone. */
  private disconnected(client: Client): void {
    void this.client?.then((current) => {
      if (current !== client) return;
      this.client = undefined;
      this.dropAll();
    }, () => undefined);
  }

  private dropAll(): void {
    for (const lease of this.held.values()) lease.markLost();
    this.held.clear();
  }
}
