import fc from "fast-check";
import { startTestServer, type TestServer } from "../support/test-server";
import { emptyStore } from "../support/test-database";

/** Fixed by default so a failure can be replayed; FUZZ_SEED=<n> explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

/** Codes a bad request may get: the client's mistakes and refusals, never a server failure. */
const CLIENT_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "QUERY_TOO_COMPLEX",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "UNSUPPORTED_MEDIA_TYPE",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** Text no answer may contain: stack frames, internal libraries, file paths. */
const LEAKS = /\n\s+at |Prisma|prisma\.|ioredis|node_modules|\/work\/|\/src\/|SQLSTATE|syntax error at or near|ECONNREFUSED/;

/** Strings meant to break things: control characters, lone surrogates, globs, SQL, paths, huge and unicode text. */
const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom(
    "",
    "\u0000",
    "BTC\u0000USDT",
    "\ud800",
    "\u202e",
    "*",
    "*******!",
    "[z-a]",
    "[",
    "'; DROP TABLE bar; --",
    "% _ \\",
    "../../etc/passwd",
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "🙂".repeat(500),
    "A".repeat(200_000),
    "rsi_14@0",
    "rsi_14@99999999999",
    "cdl_000000000000_" + "A".repeat(43),
  ),
);

/** Numbers at the edges of what JSON carries and GraphQL's Int and Float take. */
const extremeNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e-320, 0.1 + 0.2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Dates as text: out of JavaScript's range, malformed, time zones, dates only. */
const nastyDate = fc.oneof(
  fc.constantFrom("275760-09-14T00:00:00Z", "-271821-04-19T00:00:00Z", "+275760-09-13T00:00:00.000Z", "2024-02-30T00:00:00Z", "2024-01-01", "0000-00-00T00:00:00Z", "1970-01-01T00:00:00+25:00", "now", "", "9".repeat(40)),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  nastyString,
);

const anyJsonValue = fc.oneof(nastyString, extremeNumber, fc.boolean(), fc.constant(null), fc.array(nastyString, { maxLength: 5 }), fc.dictionary(nastyString, nastyString, { maxKeys: 3 }));

/** A list that may be huge. */
const nastyList = fc.oneof(fc.array(nastyString, { maxLength: 20 }), fc.constant(Array.from({ length: 20_000 }, (_unused, index) => `S${index}`)));

/** One operation with variables chosen by the fuzzer; `admin` sends the admin key. */
interface Attempt {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly admin?: boolean;
}

const operations: fc.Arbitrary<Attempt>[] = [
  fc.record({ s: nastyString, after: nastyString, first: extremeNumber, from: nastyDate }).map((variables) => ({
    query: "query($s: String!, $after: String, $first: Int, $from: DateTimeISO) { bars(symbol: $s, timeframe: H1, after: $after, first: $first, from: $from) { nodes { open } pageInfo { endCursor } } }",
    variables,
  })),
  fc.record({ after: nastyString }).map((variables) => ({
    query: 'query($after: String) { bars(symbol: "BTCUSDT", timeframe: H1, after: $after) { nodes { open } } }',
    variables,
  })),
  fc.record({ s: nastyString, from: nastyDate, to: nastyDate, features: nastyList, asOf: nastyDate }).map((variables) => ({
    query: "query($s: String!, $from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!, $asOf: DateTimeISO) { series(symbol: $s, timeframe: H1, from: $from, to: $to, features: $features, asOf: $asOf) { openTimes } }",
    variables,
  })),
  fc.record({ s: nastyString, from: nastyDate, to: nastyDate, features: nastyList }).map((variables) => ({
    query: "query($s: String!, $from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!) { features(symbol: $s, timeframe: D1, from: $from, to: $to, features: $features) { openTimes } }",
    variables,
  })),
  fc.record({ indicator: nastyString, name: nastyString, value: extremeNumber, output: nastyString, from: nastyDate }).map(({ indicator, name, value, output, from }) => ({
    query: "query($specs: [IndicatorSpecInput!]!, $from: DateTimeISO!) { indicators(symbol: \"BTCUSDT\", timeframe: H1, from: $from, to: \"2025-01-02T00:00:00Z\", specs: $specs) { openTimes results { label } } }",
    variables: { from, specs: [{ indicator, output, parameters: [{ name, value }] }] },
  })),
  fc.record({ value: extremeNumber, name: fc.constantFrom("period", "fastPeriod", "standardDeviations", "volumeFactor", "multiplier") }).map(({ value, name }) => ({
    query: "query($specs: [IndicatorSpecInput!]!) { indicators(symbol: \"BTCUSDT\", timeframe: H1, from: \"2025-01-01T00:00:00Z\", to: \"2025-01-02T00:00:00Z\", specs: $specs) { results { label } } }",
    variables: { specs: [{ indicator: "rsi", parameters: [{ name, value }] }, { indicator: "t3", parameters: [{ name, value }] }] },
  })),
  fc.record({ symbols: nastyList, features: nastyList, window: extremeNumber, timeframe: fc.oneof(nastyString, fc.constantFrom("H1", "M1", "W1")) }).map((variables) => ({
    query: "query($symbols: [String!]!, $features: [String!]!, $window: Int, $timeframe: Timeframe!) { latestFeatures(symbols: $symbols, timeframe: $timeframe, features: $features, window: $window) { symbol } }",
    variables,
  })),
  fc.record({ s: nastyString, features: nastyList }).map((variables) => ({
    query: "query($s: String!, $features: [String!]!) { readiness(symbol: $s, timeframe: H1, features: $features) { status } }",
    variables,
  })),
  fc.record({ id: nastyString, s: nastyString }).map((variables) => ({
    query: "query($id: String!, $s: String!) { indicatorMetadata(id: $id) { id } instrument(symbol: $s) { symbol } }",
    variables,
  })),
  fc.record({ pattern: nastyString }).map((variables) => ({
    query: "mutation($pattern: String!) { invalidateCache(pattern: $pattern) { removed } }",
    variables,
    admin: true,
  })),
  fc.record({ name: nastyString, indicator: nastyString, output: nastyString, description: nastyString, value: extremeNumber }).map(({ name, indicator, output, description, value }) => ({
    query: "mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { created } }",
    variables: { input: { name, indicator, output, description, parameters: [{ name: "period", value }] } },
    admin: true,
  })),
  fc
    .record({ s: nastyString, bars: fc.array(fc.record({ openTime: nastyDate, open: extremeNumber, high: extremeNumber, low: extremeNumber, close: extremeNumber, volume: extremeNumber, closed: fc.boolean() }), { maxLength: 5 }) })
    .map(({ s, bars }) => ({
      query: "mutation($s: String!, $bars: [BarInput!]!) { ingestBars(symbol: $s, timeframe: H1, bars: $bars) { accepted } }",
      variables: { s: s === "" ? "FUZZ" : `FUZZ${s}`, bars },
      admin: true,
    })),
  fc.record({ variables: fc.dictionary(nastyString, anyJsonValue, { maxKeys: 4 }) }).map(({ variables }) => ({
    query: "query($s: String!) { bars(symbol: $s, timeframe: H1) { nodes { open } } }",
    variables,
  })),
];

/** Whole documents that are not well-formed or are hostile: random text, deep nesting, fragment cycles. */
const documents: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.integer({ min: 1, max: 5_000 }).map((depth) => `{ ${"instruments { series { ".repeat(depth)}${"} } ".repeat(depth)}}`),
  fc.integer({ min: 1, max: 100_000 }).map((depth) => "{".repeat(depth)),
  fc.constantFrom(
    "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "query { ...A } fragment A on Query { instruments { symbol } ...A }",
    "query A { __typename } query A { __typename }",
    "subscription { barClosed(symbol: \"X\", timeframe: H1) { open } }",
    "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }",
    `{ ${"__typename @include(if: true) ".repeat(500)} }`,
    `query(${Array.from({ length: 2_000 }, (_unused, index) => `$v${index}: Int`).join(", ")}) { __typename }`,
  ),
);

/** Request bodies that are not a GraphQL request at all. */
const rawBodies: fc.Arbitrary<{ body: string; contentType: string }> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }).map((body) => ({ body, contentType: "application/json" })),
  fc.array(fc.record({ query: fc.constant("{ __typename }") }), { minLength: 0, maxLength: 50 }).map((batch) => ({ body: JSON.stringify(batch), contentType: "application/json" })),
  anyJsonValue.map((query) => ({ body: JSON.stringify({ query }), contentType: "application/json" })),
  fc.record({ query: fc.constant("{ __typename }"), variables: anyJsonValue, operationName: anyJsonValue, extensions: anyJsonValue }).map((body) => ({ body: JSON.stringify(body), contentType: "application/json" })),
  fc.constantFrom(
    { body: '{"query": "{ __typename }"', contentType: "application/json" },
    { body: "query=%7B__typename%7D", contentType: "application/x-www-form-urlencoded" },
    { body: "{ __typename }", contentType: "application/graphql" },
    { body: '{"query": "{ __typename }"}', contentType: "application/json; charset=utf-16" },
    { body: `{"query": "${"x".repeat(2_000_000)}"}`, contentType: "application/json" },
    { body: "\u0000\u0000\u0000", contentType: "text/plain" },
  ),
);

describe("fuzzing the running server with bad input", () => {
  let server: TestServer;
  let requests = 0;
  const failures: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await emptyStore(server.database.pool);
    await server.close();
  });

  /** Sends one request and records what is wrong with its answer, if anything. */
  async function probe(label: string, body: string, contentType: string, authorization?: string): Promise<void> {
    requests++;
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": contentType, accept: "application/json", ...(authorization === undefined ? {} : { authorization }) },
      body,
    });
    const text = await response.text();
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`status ${response.status}`);
    if (LEAKS.test(text)) problems.push(`leaks ${LEAKS.exec(text)![0]}`);
    if (response.status < 500) {
      try {
        const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
        for (const error of parsed.errors ?? []) {
          if (!CLIENT_CODES.has(String(error.extensions?.code))) problems.push(`code ${String(error.extensions?.code)}`);
        }
      } catch {
        problems.push("an answer that is not JSON");
      }
    }
    if (problems.length > 0) failures.push(`${label}: ${problems.join(", ")} for ${body.slice(0, 300)} -> ${text.slice(0, 300)}`);
  }

  const config = { seed: SEED, numRuns: 0, endOnFailure: true };

  it("answers every generated bad operation with a coded client error, never a 5xx, a stack trace or an internal name", async () => {
    for (const [index, operation] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(operation, async ({ query, variables, admin }) => {
          await probe(`operation ${index}`, JSON.stringify({ query, variables }), "application/json", admin === true ? `Bearer ${server.adminKey}` : undefined);
        }),
        { ...config, numRuns: 40 },
      );
    }
    await fc.assert(fc.asyncProperty(documents, async (query) => probe("document", JSON.stringify({ query }), "application/json")), { ...config, numRuns: 60 });
    await fc.assert(fc.asyncProperty(rawBodies, async ({ body, contentType }) => probe("body", body, contentType)), { ...config, numRuns: 60 });
    expect(requests).toBeGreaterThanOrEqual(500);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it("still answers normally afterwards", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ availableIndicators { id } }" }),
    });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { availableIndicators: { id: string }[] } };
    expect(data.availableIndicators.length).toBeGreaterThan(40);
  });
});
