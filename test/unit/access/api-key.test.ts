import { parseApiKeyPrefix, parseScopeList, Scope, scopesGrant, splitApiKey } from "../../../src/access/api-key";
import { DomainError } from "../../../src/domain/errors";
import { authorize, type Authentication } from "../../../src/access/authorization";

const KEY = "cdl_0123456789ab_" + "A".repeat(40) + "_-z";

describe("API key format", () => {
  it("splits a key into its public prefix and secret", () => {
    expect(splitApiKey(KEY)).toEqual({ prefix: "cdl_0123456789ab", secret: "A".repeat(40) + "_-z" });
  });

  it.each([["no marker", KEY.slice(4)], ["a short secret", KEY.slice(0, -1)], ["upper-case hex", KEY.replace("ab_", "AB_")], ["whitespace", ` ${KEY}`]])(
    "refuses %s",
    (_case, text) => expect(splitApiKey(text)).toBeNull(),
  );

  it("accepts a prefix with or without its marker, and refuses anything else", () => {
    expect(parseApiKeyPrefix("cdl_0123456789ab")).toBe("cdl_0123456789ab");
    expect(parseApiKeyPrefix(" 0123456789AB ")).toBe("cdl_0123456789ab");
    expect(() => parseApiKeyPrefix(KEY)).toThrow(/is not an API key prefix/);
  });
});

describe("scopes", () => {
  it("parses a comma-separated list into distinct scopes", () => {
    expect(parseScopeList("ingest, READ,read")).toEqual([Scope.READ, Scope.INGEST]);
    expect(() => parseScopeList("read,write")).toThrow(/Unknown scope "write": use read, ingest, admin/);
    expect(() => parseScopeList(" , ")).toThrow(/at least one scope/);
  });

  it("keeps read and ingest independent and lets admin imply both", () => {
    expect(scopesGrant([Scope.INGEST], Scope.READ)).toBe(false);
    expect(scopesGrant([Scope.READ], Scope.INGEST)).toBe(false);
    expect(scopesGrant([Scope.READ], Scope.ADMIN)).toBe(false);
    expect([Scope.READ, Scope.INGEST, Scope.ADMIN].every((scope) => scopesGrant([Scope.ADMIN], scope))).toBe(true);
  });
});

describe("authorize", () => {
  const key = (scopes: Scope[]): Authentication => ({
    kind: "key",
    key: { id: 1, name: "bot", prefix: "cdl_0123456789ab", scopes, createdAt: 0, revokedAt: null, lastUsedAt: null },
  });
  const codeOf = (attempt: () => void): string | undefined => {
    try {
      attempt();
      return undefined;
    } catch (error) {
      return error instanceof DomainError ? error.code : "not a DomainError";
    }
  };
  const anonymous: Authentication = { kind: "anonymous" };
  const rejected: Authentication = { kind: "rejected", reason: "No such key." };

  it.each([
    ["anonymous read, anonymous reads allowed", anonymous, true, Scope.READ, undefined],
    ["anonymous read, anonymous reads off", anonymous, false, Scope.READ, "UNAUTHENTICATED"],
    ["anonymous admin, anonymous reads allowed", anonymous, true, Scope.ADMIN, "UNAUTHENTICATED"],
    ["rejected key, anonymous reads allowed", rejected, true, Scope.READ, "UNAUTHENTICATED"],
    ["read key, read", key([Scope.READ]), false, Scope.READ, undefined],
    ["read key, admin", key([Scope.READ]), false, Scope.ADMIN, "FORBIDDEN"],
    ["ingest key, read, anonymous reads allowed", key([Scope.INGEST]), true, Scope.READ, undefined],
    ["ingest key, read, anonymous reads off", key([Scope.INGEST]), false, Scope.READ, "FORBIDDEN"],
    ["admin key, ingest", key([Scope.ADMIN]), false, Scope.INGEST, undefined],
  ])("%s → %s", (_case, authentication, allowAnonymousReads, scope, code) => {
    expect(codeOf(() => authorize({ authentication, allowAnonymousReads }, [scope], "field"))).toBe(code);
  });
});
