import { LRUCache } from "lru-cache";
import { DomainError, ErrorCode } from "../domain/errors";
import type { ApiKeyStore, StoredApiKey } from "./api-key-store";
import type { ApiKeyRevocationFeed } from "./api-key-revocations";

/** Longest a prefix that matched no key is remembered, ms: a key created meanwhile works soon after. */
const UNKNOWN_KEY_TTL_MS = 5_000;
/** How long a lookup may take before a remembered (expired) key is used instead, ms. */
const SLOW_LOOKUP_MS = 1_000;
/** Most keys, and most unknown prefixes, remembered (separately: made-up keys cannot push out real ones). */
const MAX_ENTRIES = 10_000;

/** How a key was found: in the cache, in the store, or remembered past its lifetime because the store was down or slow. */
export enum KeyLookupSource {
  CACHE = "cache",
  STORE = "store",
  STALE = "stale",
}

/** A remembered lookup and when it was made (epoch ms). */
interface Remembered {
  readonly key: StoredApiKey | null;
  readonly fetchedAt: number;
}

/**
 * API key lookups by prefix with a short memory, so that authenticating a request costs no PostgreSQL query most of
 * the time and keyed clients keep working through a PostgreSQL outage:
 * - a found key is remembered for `ttlMs` (CANDELA_API_KEY_CACHE_SECONDS), an unknown prefix for at most 5 s, in two
 *   LRUs of 10,000 entries each;
 * - concurrent lookups of one prefix share one query (single flight);
 * - revocations by any process arrive through `revocations` and drop the key at once; after a lost notification
 *   connection every remembered key is looked up again before it is trusted;
 * - when the store is unreachable (UNAVAILABLE) or slower than 1 s, a remembered key is used past its lifetime (a key
 *   revoked meanwhile cannot be: revoking needs the database, which then notifies every server).
 * With `ttlMs` 0 nothing is remembered (the CLI).
 */
export class ApiKeyLookup {
  private readonly keys = new LRUCache<string, Remembered>({ max: MAX_ENTRIES });
  private readonly unknown = new LRUCache<string, Remembered>({ max: MAX_ENTRIES });
  private readonly inFlight = new Map<string, Promise<StoredApiKey | null>>();
  /** Prefixes revoked while a lookup of them was running: that lookup's answer may predate the revocation. */
  private readonly revokedInFlight = new Set<string>();
  private readonly counts: Record<KeyLookupSource, number> = { cache: 0, store: 0, stale: 0 };
  /** Entries fetched before this instant must be looked up again (a revocation may have been missed). */
  private trustedSince = 0;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly ttlMs: number,
    revocations?: ApiKeyRevocationFeed,
    private readonly now: () => number = Date.now,
  ) {
    revocations?.onKeyRevoked((prefix) => {
      if (prefix === undefined) {
        this.trustedSince = this.now();
        return;
      }
      this.keys.delete(prefix);
      this.unknown.delete(prefix);
      if (this.inFlight.has(prefix)) this.revokedInFlight.add(prefix);
    });
  }

  /** Lookups so far by how they were answered (for metrics). */
  lookups(): Readonly<Record<KeyLookupSource, number>> {
    return { ...this.counts };
  }

  /** Keys and unknown prefixes remembered now. */
  get size(): number {
    return this.keys.size + this.unknown.size;
  }

  /**
   * The stored key with `prefix`, or null when there is none.
   * @throws DomainError UNAVAILABLE when the store is unreachable and nothing is remembered for `prefix`
   */
  async find(prefix: string): Promise<StoredApiKey | null> {
    const remembered = this.keys.get(prefix) ?? this.unknown.get(prefix);
    const now = this.now();
    if (remembered !== undefined && this.isFresh(remembered, now)) {
      this.counts.cache++;
      return remembered.key;
    }
    const lookup = this.lookUp(prefix);
    if (remembered === undefined) {
      const key = await lookup;
      this.counts.store++;
      return key;
    }
    // A key remembered past its lifetime is still better than failing the request while PostgreSQL struggles.
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<"slow">((resolve) => {
      timer = setTimeout(() => resolve("slow"), SLOW_LOOKUP_MS);
    });
    try {
      const outcome = await Promise.race([lookup, slow]);
      if (outcome === "slow") {
        this.counts.stale++;
        return remembered.key;
      }
      this.counts.store++;
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.UNAVAILABLE) throw error;
      this.counts.stale++;
      return remembered.key;
    } finally {
      clearTimeout(timer);
    }
  }

  private isFresh(remembered: Remembered, now: number): boolean {
    const lifetime = remembered.key === null ? Math.min(this.ttlMs, UNKNOWN_KEY_TTL_MS) : this.ttlMs;
    return remembered.fetchedAt >= this.trustedSince && now - remembered.fetchedAt < lifetime;
  }

  /** One store query per prefix at a time; its answer is remembered (unless nothing may be). */
  private lookUp(prefix: string): Promise<StoredApiKey | null> {
    const running = this.inFlight.get(prefix);
    if (running !== undefined) return running;
    const fetchedAt = this.now();
    const lookup = this.store
      .findByPrefix(prefix)
      .then((key) => {
        const revokedMeanwhile = this.revokedInFlight.delete(prefix);
        if (this.ttlMs > 0 && !revokedMeanwhile) {
          if (key === null) this.unknown.set(prefix, { key, fetchedAt });
          else this.keys.set(prefix, { key, fetchedAt });
        }
        return key;
      })
      .finally(() => this.inFlight.delete(prefix));
    this.inFlight.set(prefix, lookup);
    // A lookup abandoned as too slow must not become an unhandled rejection.
    lookup.catch(() => undefined);
    return lookup;
  }
}
