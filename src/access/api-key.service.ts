import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { badUserInput, notFound } from "../domain/errors";
import { API_KEY_MARKER, splitApiKey, type ApiKey, type Scope } from "./api-key";
import { ApiKeyLookup } from "./api-key-cache";
import type { ApiKeyStore } from "./api-key-store";
import type { Authentication } from "./authorization";

/** A freshly created key: the record, and the key text, which exists nowhere else and is shown once. */
export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  readonly key: string;
}

const SECRET_BYTES = 32;
const ID_BYTES = 6;
const MAX_NAME_LENGTH = 100;
// lastUsedAt is informational: one write per key per minute and process is plenty.
const RECORD_USE_INTERVAL_MS = 60_000;

/** sha256 (hex) of a key text: what the api_key table stores instead of the key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Creates, lists and revokes API keys, and authenticates the `Authorization` header of a request.
 *
 * A key is `cdl_<12 hex digits>_<43 base64url characters>`: the first part (the prefix) is public and finds
 * the stored row, the second is 32 bytes from the system's CSPRNG. Only sha256 of the whole key is stored.
 * Key lookups go through an ApiKeyLookup: remembered for a short time by the server (revocations by any process
 * reach it at once), not at all by the CLI.
 */
export class ApiKeyService {
  private readonly lastRecordedUse = new Map<number, number>();

  private readonly lookup: ApiKeyLookup;

  /**
   * @param lookup how keys are found by prefix; default: straight from `store`, nothing remembered
   */
  constructor(
    private readonly store: ApiKeyStore,
    private readonly now: () => number = Date.now,
    lookup?: ApiKeyLookup,
  ) {
    this.lookup = lookup ?? new ApiKeyLookup(store, 0);
  }

  /**
   * Creates a key with `scopes` for `name`.
   * @throws DomainError BAD_USER_INPUT for an empty or over-long name or no scopes
   */
  async create(name: string, scopes: readonly Scope[]): Promise<CreatedApiKey> {
    const label = name.trim();
    if (label === "" || label.length > MAX_NAME_LENGTH) throw badUserInput(`Name the key's holder in 1..${MAX_NAME_LENGTH} characters, e.g. "training-cluster".`);
    if (scopes.length === 0) throw badUserInput("Give the key at least one scope.");
    for (;;) {
      const prefix = `${API_KEY_MARKER}_${randomBytes(ID_BYTES).toString("hex")}`;
      const key = `${prefix}_${randomBytes(SECRET_BYTES).toString("base64url")}`;
      const apiKey = await this.store.insert({ name: label, prefix, secretHash: hashApiKey(key), scopes: [...new Set(scopes)] });
      // A taken prefix (1 in 2^48 per existing key) just means drawing again.
      if (apiKey !== null) return { apiKey, key };
    }
  }

  /** Every key, revoked ones included, oldest first; never a secret. */
  list(): Promise<ApiKey[]> {
    return this.store.list();
  }

  /**
   * Revokes the key with `prefix` (as `list` shows it). Revoking a revoked key changes nothing.
   * @throws DomainError NOT_FOUND when no key has this prefix
   */
  async revoke(prefix: string): Promise<ApiKey> {
    const revoked = await this.store.revoke(prefix, this.now());
    if (revoked === null) throw notFound(`No API key has the prefix ${prefix}.`, { prefix });
    return revoked;
  }

  /**
   * Decides who sends `authorization` (the HTTP header's value, or undefined when absent): anonymous without
   * a header, the key for `Bearer <valid key>`, and rejected (with a reason) for anything else.
   */
  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (authorization === undefined || authorization.trim() === "") return { kind: "anonymous" };
    const bearer = /^Bearer +(\S+)\s*$/i.exec(authorization.trim());
    if (bearer === null) return { kind: "rejected", reason: "The Authorization header must be `Bearer <API key>`." };
    const parts = splitApiKey(bearer[1]);
    if (parts === null) return { kind: "rejected", reason: `The bearer token is not a Candela API key (${API_KEY_MARKER}_...).` };
    const stored = await this.lookup.find(parts.prefix);
    if (stored === null || !sameHash(stored.secretHash, hashApiKey(bearer[1]))) {
      return { kind: "rejected", reason: `The API key ${parts.prefix}_... is not valid: no such key.` };
    }
    if (stored.revokedAt !== null) {
      return { kind: "rejected", reason: `The API key ${stored.prefix}_... was revoked at ${new Date(stored.revokedAt).toISOString()}.` };
    }
    // Informational only: never delays or fails the request.
    this.recordUse(stored.id).catch(() => undefined);
    const { secretHash: _hash, ...key } = stored;
    return { kind: "key", key };
  }

  private async recordUse(id: number): Promise<void> {
    const now = this.now();
    if (now - (this.lastRecordedUse.get(id) ?? -Infinity) < RECORD_USE_INTERVAL_MS) return;
    this.lastRecordedUse.set(id, now);
    await this.store.recordUse(id, now);
  }
}

/** Compares two hex digests in constant time. */
function sameHash(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(actual, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
