import { serverAudits } from "graphql-http";
import { startTestServer, type TestServer } from "../support/test-server";

/**
 * GraphQL over HTTP conformance: graphql-http's audits (every MUST and SHOULD of the GraphQL-over-HTTP specification
 * it checks) against the real application over real HTTP.
 */
describe("GraphQL over HTTP audits (graphql-http)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const audits = serverAudits({ url: () => `${server.url}/graphql`, fetchFn: fetch });

  // MAY items are optional; the ones failing are GETs without a CSRF-safe header, which Apollo's CSRF protection refuses.
  const required = audits.filter((audit) => !audit.name.startsWith("MAY"));

  it("checks every MUST and SHOULD", () => {
    expect(required.length).toBeGreaterThanOrEqual(36);
  });

  it.each(required.map((audit) => [audit.name, audit] as const))("%s", async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === "ok" ? "ok" : `${result.status}: ${result.reason}`).toBe("ok");
  });
});
