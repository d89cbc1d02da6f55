import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Pool } from "pg";
import { postGraphQL } from "../support/graphql-client";
import { testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
const NAME = "e2e-keys-cli";

/**
 * End to end: the built `keys` CLI creates, lists and revokes keys in the database of the built server, which runs
 * as production does (DATABASE_URL set, so no anonymous reads), and the server honours them over HTTP.
 */
describe("the built keys CLI with the built server, end to end", () => {
  // PORT 0: the system picks a free port (read from the start log line), so concurrent test runs cannot collide.
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabaseUrl(), PORT: "0", CANDELA_LOAD_SAMPLES: "false", LOG_LEVEL: "info" };
  delete environment.CANDELA_ALLOW_ANONYMOUS_READS;
  let server: ChildProcess;
  let serverOutput = "";
  let pool: Pool;
  let GRAPHQL_URL: string;

  const keys = (...args: string[]) => spawnSync(process.execPath, ["dist/src/cli/candela.js", "keys", ...args], { cwd: ROOT, env: environment, encoding: "utf8" });

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await pool.query("DELETE FROM api_key WHERE name LIKE $1", [`${NAME}%`]);
    await pool.query("DELETE FROM feature_definition WHERE name = 'e2e_keys_sma'");
    server = spawn(process.execPath, ["dist/src/cli/candela.js", "serve"], { cwd: ROOT, env: environment });
    server.stdout!.on("data", (chunk) => (serverOutput += chunk));
    server.stderr!.on("data", (chunk) => (serverOutput += chunk));
    GRAPHQL_URL = await waitForServingUrl(server, () => serverOutput, 30_000);
  });

  afterAll(async () => {
    // A server that died mid-test says why here.
    if (server.exitCode !== null) console.error(`server exited with ${server.exitCode}:\n${serverOutput}`);
    if (server.exitCode === null) {
      server.kill("SIGINT");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await pool.query("DELETE FROM api_key WHERE name LIKE $1", [`${NAME}%`]);
    await pool.query("DELETE FROM feature_definition WHERE name = 'e2e_keys_sma'");
    await pool.end();
  });

  it("creates a key that the server accepts, lists it without its secret, and revokes it", async () => {
    const created = keys("create", "--name", `${NAME}-reader`, "--scopes", "read");
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^cdl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const prefix = key.slice(0, "cdl_".length + 12);
    expect(created.stderr).toMatch(new RegExp(`Created API key "${NAME}-reader" \\(${prefix}\\) with scopes read\\.\\nStore it now`));

    const anonymous = await postGraphQL(GRAPHQL_URL, "{ availableIndicators { id } }");
    expect(anonymous.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const withKey = await postGraphQL(GRAPHQL_URL, "{ availableIndicators { id } }", {}, { apiKey: key });
    expect(withKey.errors).toBeUndefined();
    expect(withKey.data!.availableIndicators.length).toBeGreaterThan(0);

    const listed = keys("list");
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${prefix}\\s+${NAME}-reader\\s+read\\s+\\S+Z\\s+\\S+Z\\s+active$`, "m"));
    expect(listed.stdout).not.toContain(key.slice(prefix.length + 1));

    const revoked = keys("revoke", "--prefix", prefix);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`Revoked ${prefix} \\("${NAME}-reader"\\) at `));
    // The server remembers verified keys for 30 s, but the revoking process's NOTIFY reaches it at once: within
    // a second (the notification travels beside the next request), far below the 30 s a cache alone would take.
    const revokedAt = Date.now();
    let afterRevoke = await postGraphQL(GRAPHQL_URL, "{ availableIndicators { id } }", {}, { apiKey: key });
    while (afterRevoke.errors === undefined && Date.now() - revokedAt < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      afterRevoke = await postGraphQL(GRAPHQL_URL, "{ availableIndicators { id } }", {}, { apiKey: key });
    }
    expect(afterRevoke.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/was revoked at/) });
    expect(keys("list").stdout).toMatch(new RegExp(`^${prefix}\\s.*revoked \\S+Z$`, "m"));
  });

  it("creates an admin key that may register features, which a read-and-ingest key may not", async () => {
    const admin = keys("create", "--name", `${NAME}-admin`, "--scopes", "admin").stdout.trim();
    const feeder = keys("create", "--name", `${NAME}-feeder`, "--scopes", "read,ingest").stdout.trim();
    const register = `mutation { registerFeature(input: { name: "e2e_keys_sma", indicator: "sma" }) { created } }`;
    expect((await postGraphQL(GRAPHQL_URL, register, {}, { apiKey: feeder })).errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const registered = await postGraphQL(GRAPHQL_URL, register, {}, { apiKey: admin });
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ registerFeature: { created: true } });
  });

  it.each([
    [["create", "--name", "x", "--scopes", "read,write"], /\[BAD_USER_INPUT\]: Unknown scope "write": use read, ingest, admin/],
    [["create", "--scopes", "read"], /required option '--name <name>' not specified/],
    [["revoke", "--prefix", "nope"], /\[BAD_USER_INPUT\]: "nope" is not an API key prefix/],
    [["revoke", "--prefix", "cdl_000000000000"], /\[NOT_FOUND\]: No API key has the prefix cdl_000000000000/],
  ])("refuses %j with a message and exit code 2", (args, message) => {
    const run = keys(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });
});

/** Waits for the server's "serving GraphQL" log line and returns the URL it names. */
async function waitForServingUrl(server: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /"url":"(http:[^"]+\/graphql)".*Candela is serving GraphQL/.exec(output());
    if (match !== null) return match[1];
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the server did not start within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
