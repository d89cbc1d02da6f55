import { spawnSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import path from "node:path";
import { Pool } from "pg";
import { postGraphQL } from "../support/graphql-client";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const NAME = "e2e-security";
const METRICS_TOKEN = "metrics-token-for-the-e2e-test";

/** Starts the built server on a free port with `environment` and returns it with its GraphQL URL. */
async function serve(environment: Record<string, string>): Promise<{ server: ServerProcess; url: string }> {
  const server = startServerProcess({ PORT: "0", CANDELA_LOAD_SAMPLES: "false", LOG_LEVEL: "info", ...environment });
  await server.waitForOutput(/Candela is serving GraphQL/, 30_000);
  const url = /"url":"(http:[^"]+\/graphql)"/.exec(server.output())![1];
  return { server, url };
}

/** A key made with the built CLI, e.g. scopes "read". */
function createKey(name: string, scopes: string): string {
  const run = spawnSync(process.execPath, ["dist/src/cli/candela.js", "keys", "create", "--name", `${NAME}-${name}`, "--scopes", scopes], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

/** Resolves when the server closes `socket` (or after `timeoutMs`, to false). */
function closedWithin(socket: Socket, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    // A reset is a close too.
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * End to end against the built server in production mode (DATABASE_URL set, anonymous reads off): what is open
 * without a key, security headers, rate limits, and HTTP timeouts and the connection cap.
 */
describe("the built server in production mode", () => {
  let pool: Pool;
  let server: ServerProcess;
  let url: string;
  let reader: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await pool.query("DELETE FROM api_key WHERE name LIKE $1", [`${NAME}%`]);
    reader = createKey("reader", "read");
    ({ server, url } = await serve({
      DATABASE_URL: testDatabaseUrl(),
      CANDELA_METRICS_TOKEN: METRICS_TOKEN,
      CANDELA_RATE_LIMIT_PER_ADDRESS: "5",
      CANDELA_RATE_LIMIT_PER_KEY: "10",
      CANDELA_HTTP_HEADERS_TIMEOUT_MS: "500",
      CANDELA_HTTP_REQUEST_TIMEOUT_MS: "1000",
      CANDELA_MAX_CONNECTIONS: "60",
    }));
  });

  afterAll(async () => {
    await server?.stop();
    await pool.query("DELETE FROM api_key WHERE name LIKE $1", [`${NAME}%`]);
    await pool.end();
  });

  /** Waits out the one-second rate-limit window, so each test starts with full budgets. */
  const freshBudgets = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it("answers introspection only to a read key, and names schema.graphql", async () => {
    await freshBudgets();
    const anonymous = await postGraphQL(url, "{ __schema { queryType { name } } }");
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringContaining("schema.graphql") });
    const viaFragment = await postGraphQL(url, "query { ...F } fragment F on Query { __type(name: \"Query\") { name } }");
    expect(viaFragment.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const keyed = await postGraphQL(url, "{ __schema { queryType { name } } }", {}, { apiKey: reader });
    expect(keyed).toMatchObject({ status: 200, data: { __schema: { queryType: { name: "Query" } } } });
  });

  it("serves GraphiQL only to a read key, as a small page without inline script whose files are cacheable for good", async () => {
    const anonymous = await fetch(url, { headers: { accept: "text/html" } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/GraphiQL needs an API key with the read scope/);
    const keyed = await fetch(url, { headers: { accept: "text/html", authorization: `Bearer ${reader}` } });
    expect(keyed.status).toBe(200);
    const policy = keyed.headers.get("content-security-policy")!;
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(policy).not.toMatch(/unsafe-eval|nonce-/);
    const page = await keyed.text();
    expect(page.length).toBeLessThan(200_000); // 9 MB before; most of what is left is its icon
    expect(page).not.toMatch(/<script>/);
    const files = [...page.matchAll(/(?:src|href)="(\/graphiql\/assets\/[0-9a-f]{20}\.(?:js|css))"/g)].map((match) => match[1]);
    expect(files.map((file) => file.split(".").pop()).sort()).toEqual(["css", "js"]);
    for (const file of files) {
      const asset = await fetch(new URL(file, url));
      expect([asset.status, asset.headers.get("cache-control")]).toEqual([200, "public, max-age=31536000, immutable"]);
      expect(asset.headers.get("content-type")).toMatch(file.endsWith(".js") ? /^text\/javascript/ : /^text\/css/);
    }
    expect((await fetch(new URL("/graphiql/assets/nope.js", url))).status).toBe(404);
  });

  it("puts the security headers on every response", async () => {
    await freshBudgets();
    for (const response of [
      await fetch(url.replace("/graphql", "/healthz")),
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) }),
    ]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
      expect(response.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("serves /metrics only with its token", async () => {
    const metricsUrl = url.replace("/graphql", "/metrics");
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    const scraped = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/candela_graphql_requests_total/);
  });

  it("refuses an address over its budget before looking its made-up keys up, with RATE_LIMITED and Retry-After", async () => {
    await freshBudgets();
    const made = Array.from({ length: 20 }, (_unused, index) => `cdl_${index.toString(16).padStart(12, "0")}_${"A".repeat(43)}`);
    const answers = await Promise.all(made.map((key) => fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: "{ availableIndicators { id } }" }),
    })));
    const bodies = await Promise.all(answers.map(async (answer) => ({ status: answer.status, retryAfter: answer.headers.get("retry-after"), body: (await answer.json()) as { errors: { extensions: { code: string; retryAfterSeconds?: number } }[] } })));
    const unauthenticated = bodies.filter(({ body }) => body.errors[0].extensions.code === "UNAUTHENTICATED");
    const limited = bodies.filter(({ body }) => body.errors[0].extensions.code === "RATE_LIMITED");
    // Budget 5 per second: at most 5 (10 if the window turned meanwhile) were looked up; the rest never reached PostgreSQL.
    expect(unauthenticated.length).toBeGreaterThan(0);
    expect(unauthenticated.length).toBeLessThanOrEqual(10);
    expect(limited.length).toBe(20 - unauthenticated.length);
    for (const { status, retryAfter, body } of limited) {
      expect(status).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(body.errors[0].extensions.retryAfterSeconds).toBe(Number(retryAfter));
    }
  });

  it("gives each key its own budget", async () => {
    await freshBudgets();
    const answers = await Promise.all(Array.from({ length: 30 }, () => postGraphQL(url, "{ __typename }", {}, { apiKey: reader })));
    const limited = answers.filter((answer) => answer.errors?.[0].extensions?.code === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect(limited[0].errors![0].message).toMatch(/Too many requests for this API key: at most 10 per second\. Retry after \d+ s\./);
  });

  it("closes a connection whose headers trickle in past the headers timeout", async () => {
    const { port } = new URL(url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => socket.write("X-Slow: 1\r\n"), 200);
    const closed = await closedWithin(socket, 5_000);
    clearInterval(trickle);
    socket.destroy();
    expect(closed).toBe(true);
  });

  it("closes connections beyond the cap at once", async () => {
    const { port } = new URL(url);
    const sockets = Array.from({ length: 80 }, () => connect(Number(port), "127.0.0.1"));
    const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 400)));
    for (const socket of sockets) socket.destroy();
    // At most 60 may stay open (the headers timeout ends them later); at least 20 are closed at once.
    expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(20);
    expect(closed.filter(Boolean).length).toBeLessThan(80);
    await freshBudgets();
    expect((await postGraphQL(url, "{ __typename }", {}, { apiKey: reader })).status).toBe(200);
  });
});
