import type { ApiKey, Scope } from "./api-key";

/** A key to store: its public prefix, the hash of the whole key text, and what it may do. */
export interface NewApiKey {
  readonly name: string;
  readonly prefix: string;
  readonly secretHash: string;
  readonly scopes: readonly Scope[];
}

/** A stored key with the hash its presented text must match. */
export interface StoredApiKey extends ApiKey {
  readonly secretHash: string;
}

/**
 * Storage of API keys (adapter: store/registry/ApiKeyRepository). Every method rejects with DomainError
 * UNAVAILABLE when the store cannot be reached.
 */
export interface ApiKeyStore {
  /** Stores a new key; resolves to null when its prefix is already taken, so the caller can draw another. */
  insert(key: NewApiKey): Promise<ApiKey | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKey[]>;
  /** The key with this prefix, if any. */
  findByPrefix(prefix: string): Promise<StoredApiKey | null>;
  /** Marks the key revoked at `at` unless it already is; resolves to the key as now stored, or null if none has this prefix. */
  revoke(prefix: string, at: number): Promise<ApiKey | null>;
  /** Records that the key authenticated a request at `at`. */
  recordUse(id: number, at: number): Promise<void>;
}
