import { LRUCache } from "lru-cache";
import type { TierStats } from "../../features/ports/query-cache";
import { symbolOfSeriesKey } from "../../domain/series-key";
import type { GlobMatcher } from "./cache-glob";

/** Bounds of the process tier. */
export interface ProcessTierOptions {
  /** Most entries held. Default 5000. */
  readonly maxEntries?: number;
  /** Most bytes held, counting each entry as the length of its JSON text. Default 256 MiB. */
  readonly maxBytes?: number;
  /** Time an entry lives, ms. Default 60000 (kept short: other instances' invalidations may be missed while Redis is down). */
  readonly ttlMs?: number;
}

/** An entry of the process tier: the value (already a JSON round trip) and what it depends on. */
interface ProcessEntry {
  readonly seriesKey: string;
  readonly value: unknown;
  /** Length of the value's JSON text, the entry's size for `maxBytes`. */
  readonly bytes: number;
}

/**
 * The in-process tier: a bounded LRU (lru-cache) with TTL, keyed by the caller's key, counting hits,
 * misses and capacity evictions (lru-cache's dispose reason "evict"; expiry and deletes are not evictions).
 */
export class ProcessCacheTier {
  private readonly lru: LRUCache<string, ProcessEntry>;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: ProcessTierOptions = {}) {
    this.lru = new LRUCache<string, ProcessEntry>({
      max: options.maxEntries ?? 5_000,
      maxSize: options.maxBytes ?? 256 * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
      ttl: options.ttlMs ?? 60_000,
      dispose: (_entry, _key, reason) => {
        if (reason === "evict") this.evictions++;
      },
    });
  }

  /** Most bytes one entry may take (larger values are not cached). */
  get maxEntryBytes(): number {
    return this.lru.maxSize;
  }

  /** The value under `key`, counting a hit or a miss. */
  get(key: string): { readonly value: unknown } | undefined {
    const entry = this.lru.get(key);
    if (entry === undefined) this.misses++;
    else this.hits++;
    return entry;
  }

  /** Stores `value` (a JSON round trip of what the caller gave) whose JSON text is `bytes` long. */
  set(key: string, seriesKey: string, value: unknown, bytes: number): void {
    if (bytes > this.lru.maxSize) return;
    this.lru.set(key, { seriesKey, value, bytes });
  }

  /** Drops the entries of every series of `symbol`; returns their keys. */
  deleteSymbol(symbol: string): string[] {
    return this.deleteWhere((_key, entry) => symbolOfSeriesKey(entry.seriesKey) === symbol);
  }

  /** Drops the entries whose name `<seriesKey>:<key>` matches `glob` (see cache-glob.ts); returns their keys. */
  deleteMatching(glob: GlobMatcher): string[] {
    return this.deleteWhere((key, entry) => glob(`${entry.seriesKey}:${key}`));
  }

  /** Drops the given keys (another instance invalidated them); returns those that were held. */
  deleteKeys(keys: Iterable<string>): string[] {
    const dropped: string[] = [];
    for (const key of keys) if (this.lru.delete(key)) dropped.push(key);
    return dropped;
  }

  /** Counters since creation; size counts entries held (expired ones until they are next touched). */
  stats(): TierStats {
    return tierStats(this.hits, this.misses, this.evictions, this.lru.size);
  }

  private deleteWhere(test: (key: string, entry: ProcessEntry) => boolean): string[] {
    const matching: string[] = [];
    for (const [key, entry] of this.lru.entries()) if (test(key, entry)) matching.push(key);
    return this.deleteKeys(matching);
  }
}

/** TierStats from counters, with hitRate 0 before the first lookup. */
export function tierStats(hits: number, misses: number, evictions: number, size: number): TierStats {
  const lookups = hits + misses;
  return { hits, misses, hitRate: lookups === 0 ? 0 : hits / lookups, evictions, size };
}
