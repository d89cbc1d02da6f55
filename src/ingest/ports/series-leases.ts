/** A lease held on a named piece of work; `lost` tells when it ended without being released. */
export interface Lease {
  /** Settles (resolves) when the lease is lost: its holder must stop the work it guards. */
  readonly lost: Promise<void>;
  /** Ends the lease (another holder may take it). */
  release(): Promise<void>;
}

/**
 * Leases that let only one process at a time do a piece of work named by a string (catch up or repair
 * "BTCUSDT/1m"), across every instance sharing the database (adapter: store/postgres/AdvisoryLeases, session
 * advisory locks on one dedicated connection: a process that dies loses its leases at once).
 */
export interface SeriesLeases {
  /** Takes the lease when it is free; undefined when another holder has it. */
  tryAcquire(name: string): Promise<Lease | undefined>;
  /**
   * Waits until the lease is free and takes it.
   * @throws an AbortError when `signal` aborts first; DomainError UNAVAILABLE when the store cannot be reached
   */
  acquire(name: string, signal?: AbortSignal): Promise<Lease>;
}
