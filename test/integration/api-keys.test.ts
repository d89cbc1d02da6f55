import { createHash } from "node:crypto";
import { Scope } from "../../src/access/api-key";
import { postGraphQL, type GraphQLRequestOptions } from "../support/graphql-client";
import { startTestServer, type TestServer } from "../support/test-server";

const READ = `{ availableIndicators { id } }`;
const REGISTER = `mutation($name: String!) { registerFeature(input: { name: $name, indicator: "sma" }) { created definition { reference } } }`;

/**
 * API keys over real HTTP: `Authorization: Bearer <key>`, scopes checked per root field, and the anonymous
 * reads rule. Each server's admin key (test-server.ts) is left alone; these tests create their own keys.
 */
describe("API keys over HTTP", () => {
  let closed: TestServer;
  let open: TestServer;
  let readKey: string;
  let ingestKey: string;
  let adminKey: string;

  beforeAll(async () => {
    closed = await startTestServer({ allowAnonymousReads: false });
    open = await startTestServer({ allowAnonymousReads: true });
    await closed.database.pool.query("DELETE FROM feature_definition WHERE name LIKE 'auth_probe%'");
    readKey = (await closed.apiKeys.create("reader", [Scope.READ])).key;
    ingestKey = (await closed.apiKeys.create("feeder", [Scope.INGEST])).key;
    adminKey = (await closed.apiKeys.create("operator", [Scope.ADMIN])).key;
  });
  afterAll(async () => {
    await closed.database.pool.query("DELETE FROM api_key WHERE name IN ('reader', 'feeder', 'operator', 'revoked soon')");
    await closed.database.pool.query("DELETE FROM feature_definition WHERE name LIKE 'auth_probe%'");
    await closed.close();
    await open.close();
  });

  const read = (server: TestServer, options: GraphQLRequestOptions = {}) => postGraphQL(`${server.url}/graphql`, READ, {}, options);
  const register = (server: TestServer, name: string, options: GraphQLRequestOptions = {}) =>
    postGraphQL(`${server.url}/graphql`, REGISTER, { name }, options);
  const errorOf = (response: Awaited<ReturnType<typeof read>>) => ({ code: response.errors?.[0].extensions?.code, message: response.errors?.[0].message });

  describe("with anonymous reads off (the production default)", () => {
    it("answers a query without a key with UNAUTHENTICATED, saying how to send one", async () => {
      const response = await read(closed);
      expect(response.data).toBeNull();
      expect(errorOf(response)).toEqual({ code: "UNAUTHENTICATED", message: expect.stringMatching(/availableIndicators needs an API key with the read scope: send `Authorization: Bearer <API key>`/) });
    });

    it("serves queries to a read key and refuses it registerFeature with FORBIDDEN, naming the missing scope", async () => {
      const response = await read(closed, { apiKey: readKey });
      expect(response.errors).toBeUndefined();
      expect(response.data!.availableIndicators.length).toBeGreaterThan(0);

      const refused = await register(closed, "auth_probe_read", { apiKey: readKey });
      expect(errorOf(refused)).toEqual({ code: "FORBIDDEN", message: expect.stringMatching(/registerFeature needs the admin scope; the API key cdl_[0-9a-f]{12}_\.\.\. \("reader"\) has read\./) });
      expect(refused.errors?.[0].extensions?.requiredScopes).toEqual(["admin"]);
      const stored = await closed.database.pool.query("SELECT count(*)::int AS n FROM feature_definition WHERE name = 'auth_probe_read'");
      expect(stored.rows[0].n).toBe(0);
    });

    it("keeps scopes explicit: an ingest key neither reads nor registers features", async () => {
      expect(errorOf(await read(closed, { apiKey: ingestKey })).code).toBe("FORBIDDEN");
      expect(errorOf(await register(closed, "auth_probe_ingest", { apiKey: ingestKey })).code).toBe("FORBIDDEN");
    });

    it("lets an admin key register features and read (admin implies every scope)", async () => {
      const registered = await register(closed, "auth_probe_admin", { apiKey: adminKey });
      expect(registered.errors).toBeUndefined();
      expect(registered.data!.registerFeature).toEqual({ created: true, definition: { reference: "auth_probe_admin@1" } });
      expect((await read(closed, { apiKey: adminKey })).errors).toBeUndefined();
    });

    it("answers a revoked key with UNAUTHENTICATED from the next request on", async () => {
      const { key, apiKey } = await closed.apiKeys.create("revoked soon", [Scope.READ]);
      expect((await read(closed, { apiKey: key })).errors).toBeUndefined();
      await closed.apiKeys.revoke(apiKey.prefix);
      const response = await read(closed, { apiKey: key });
      expect(errorOf(response)).toEqual({ code: "UNAUTHENTICATED", message: expect.stringMatching(new RegExp(`The API key ${apiKey.prefix}_\\.\\.\\. was revoked at `)) });
    });

    it.each([
      ["a wrong secret", (key: string) => `Bearer ${key.slice(0, -4)}AAAA`, /is not valid: no such key/],
      ["an unknown prefix", (key: string) => `Bearer cdl_000000000000_${key.slice(-43)}`, /is not valid: no such key/],
      ["a token that is not a Candela key", () => "Bearer hunter2", /not a Candela API key/],
      ["another scheme", (key: string) => `Basic ${key}`, /must be `Bearer <API key>`/],
      ["an empty bearer", () => "Bearer ", /must be `Bearer <API key>`/],
    ])("answers %s with UNAUTHENTICATED", async (_case, header, message) => {
      const response = await read(closed, { authorization: header(readKey) });
      expect(errorOf(response)).toEqual({ code: "UNAUTHENTICATED", message: expect.stringMatching(message) });
    });

    it("records when a key was last used", async () => {
      const { rows } = await closed.database.pool.query("SELECT last_used_at FROM api_key WHERE name = 'reader'");
      expect(rows[0].last_used_at).toBeInstanceOf(Date);
    });
  });

  describe("with anonymous reads on (the embedded default)", () => {
    it("serves queries without a key", async () => {
      const response = await read(open);
      expect(response.errors).toBeUndefined();
      expect(response.data!.availableIndicators.length).toBeGreaterThan(0);
    });

    it("still needs an admin key for registerFeature", async () => {
      expect(errorOf(await register(open, "auth_probe_anonymous"))).toEqual({ code: "UNAUTHENTICATED", message: expect.stringMatching(/registerFeature needs an API key with the admin scope/) });
      expect(errorOf(await register(open, "auth_probe_anonymous", { apiKey: readKey })).code).toBe("FORBIDDEN");
      expect((await register(open, "auth_probe_anonymous", { apiKey: adminKey })).errors).toBeUndefined();
    });

    it("still rejects a wrong key instead of treating its sender as anonymous", async () => {
      expect(errorOf(await read(open, { authorization: "Bearer cdl_garbage" })).code).toBe("UNAUTHENTICATED");
    });
  });

  it("stores only a sha256 of each key: the key text appears nowhere in the table", async () => {
    const { key, apiKey } = await closed.apiKeys.create("reader", [Scope.READ]);
    const { rows } = await closed.database.pool.query("SELECT * FROM api_key WHERE id = $1", [apiKey.id]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(key.slice(apiKey.prefix.length + 1));
    expect(rows[0]).toMatchObject({ name: "reader", prefix: apiKey.prefix, scopes: ["read"], revoked_at: null });
    expect(rows[0].secret_hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(key).toMatch(/^cdl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  });
});
