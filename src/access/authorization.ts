import { forbidden, Scope, scopeLabel, scopesGrant, unauthenticated, type ApiKey } from "./api-key";

/** Who is calling, as decided from the request's credentials. */
export type Authentication =
  | { readonly kind: "anonymous" }
  | { readonly kind: "key"; readonly key: ApiKey }
  /** Credentials were sent but are unusable (malformed, unknown, revoked); `reason` is for the caller. */
  | { readonly kind: "rejected"; readonly reason: string };

/** What a request may do: who sent it, and whether the server serves reads without a key. */
export interface RequestAccess {
  readonly authentication: Authentication;
  readonly allowAnonymousReads: boolean;
}

/**
 * Lets the request do `operation` (a name for messages, e.g. "registerFeature") if it holds one of `scopes`,
 * else throws. Rejected credentials fail every operation, even one anonymous callers could do: a client
 * sending a wrong key should hear so at once. With anonymous reads allowed, `read` is granted to everyone.
 * @throws DomainError UNAUTHENTICATED (credentials rejected, or none where a key is needed),
 *   FORBIDDEN (a valid key without any of `scopes`)
 */
export function authorize(access: RequestAccess, scopes: readonly Scope[], operation: string): void {
  const { authentication } = access;
  // No scopes named: any valid key will do.
  const needed = scopes.length === 0 ? "any" : scopes.map(scopeLabel).join(" or ");
  if (authentication.kind === "rejected") {
    throw unauthenticated(`${authentication.reason} Send \`Authorization: Bearer <API key>\` with a valid key.`);
  }
  if (access.allowAnonymousReads && scopes.includes(Scope.READ)) return;
  if (authentication.kind === "anonymous") {
    throw unauthenticated(`${operation} needs an API key with the ${needed} scope: send \`Authorization: Bearer <API key>\`.`);
  }
  const { key } = authentication;
  if (scopes.length === 0 || scopes.some((scope) => scopesGrant(key.scopes, scope))) return;
  throw forbidden(
    `${operation} needs the ${needed} scope; the API key ${key.prefix}_... ("${key.name}") has ${key.scopes.map(scopeLabel).join(", ")}.`,
    { requiredScopes: scopes.map(scopeLabel) },
  );
}
