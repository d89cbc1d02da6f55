import { badUserInput, DomainError, ErrorCode } from "../domain/errors";

/**
 * What an API key may do. Inside the program a scope is always this enum; the labels "read", "ingest" and
 * "admin" exist only at the boundaries (CLI arguments, the api_key table, error messages).
 *
 * Scopes are explicit: `read` (queries) and `ingest` (writing bars) are independent, so a bar feeder can
 * hold an ingest-only key that reads nothing, and a dashboard a read-only key. `admin` (feature
 * definitions, cache control, ...) implies every other scope.
 */
export enum Scope {
  READ = "READ",
  INGEST = "INGEST",
  ADMIN = "ADMIN",
}

const LABEL: Readonly<Record<Scope, string>> = {
  [Scope.READ]: "read",
  [Scope.INGEST]: "ingest",
  [Scope.ADMIN]: "admin",
};

/** Every scope, in the order listings show them. */
export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** Boundary label of a scope: Scope.READ → "read". */
export function scopeLabel(scope: Scope): string {
  return LABEL[scope];
}

/**
 * Parses one boundary label ("read", "ingest", "admin"; case-insensitive).
 * @throws DomainError BAD_USER_INPUT naming the accepted labels
 */
export function parseScope(text: string): Scope {
  const wanted = text.trim().toLowerCase();
  const scope = ALL_SCOPES.find((candidate) => LABEL[candidate] === wanted);
  if (scope === undefined) throw badUserInput(`Unknown scope "${text}": use ${ALL_SCOPES.map(scopeLabel).join(", ")}.`);
  return scope;
}

/**
 * Parses a comma-separated list such as "read,ingest" into distinct scopes (in ALL_SCOPES order).
 * @throws DomainError BAD_USER_INPUT for an empty list or an unknown label
 */
export function parseScopeList(text: string): Scope[] {
  const labels = text.split(",").map((label) => label.trim()).filter((label) => label !== "");
  if (labels.length === 0) throw badUserInput(`Name at least one scope: ${ALL_SCOPES.map(scopeLabel).join(", ")}.`);
  const scopes = new Set(labels.map(parseScope));
  return ALL_SCOPES.filter((scope) => scopes.has(scope));
}

/** Whether a holder of `held` may do what needs `required`: it holds that scope, or `admin`. */
export function scopesGrant(held: Iterable<Scope>, required: Scope): boolean {
  const scopes = new Set(held);
  return scopes.has(required) || scopes.has(Scope.ADMIN);
}

/** An API key as stored and listed: never its secret. Times are epoch milliseconds (UTC). */
export interface ApiKey {
  readonly id: number;
  /** Who or what holds the key, e.g. "training-cluster". */
  readonly name: string;
  /** Public part of the key, e.g. "cdl_1f2e3d4c5b6a": shown in listings and accepted by `revoke`. */
  readonly prefix: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
}

/** Every key starts with this marker, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_MARKER = "cdl";

/** Hex digits of the random key id that follows the marker in the prefix. */
export const API_KEY_ID_HEX_DIGITS = 12;

// cdl_<12 hex>_<43 base64url characters of 32 random bytes>
const KEY_PATTERN = new RegExp(`^(${API_KEY_MARKER}_[0-9a-f]{${API_KEY_ID_HEX_DIGITS}})_([A-Za-z0-9_-]{43})$`);
const PREFIX_PATTERN = new RegExp(`^(?:${API_KEY_MARKER}_)?([0-9a-f]{${API_KEY_ID_HEX_DIGITS}})$`);

/** The two parts of a well-formed key text. */
export interface ApiKeyParts {
  /** "cdl_" and the key id: the public part. */
  readonly prefix: string;
  /** base64url of 32 random bytes: the secret part. */
  readonly secret: string;
}

/** Splits a key text `cdl_<12 hex>_<secret>`; null when the text does not have that shape. */
export function splitApiKey(text: string): ApiKeyParts | null {
  const match = KEY_PATTERN.exec(text);
  return match === null ? null : { prefix: match[1], secret: match[2] };
}

/**
 * Normalizes a prefix typed by a person ("cdl_1f2e3d4c5b6a" or just "1f2e3d4c5b6a") to the stored form.
 * @throws DomainError BAD_USER_INPUT when it is not a key prefix
 */
export function parseApiKeyPrefix(text: string): string {
  const match = PREFIX_PATTERN.exec(text.trim().toLowerCase());
  if (match === null) {
    throw badUserInput(`"${text}" is not an API key prefix: expected ${API_KEY_MARKER}_ and ${API_KEY_ID_HEX_DIGITS} hex digits, as \`keys list\` shows.`);
  }
  return `${API_KEY_MARKER}_${match[1]}`;
}

/** A DomainError with code UNAUTHENTICATED: no usable credentials. */
export function unauthenticated(message: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, message);
}

/** A DomainError with code FORBIDDEN: valid credentials without the needed scope. */
export function forbidden(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, message, details);
}
