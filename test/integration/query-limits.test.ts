import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { IndicatorQueryService } from "../../src/features/indicator-query.service";
import { DEFAULT_QUERY_LIMITS } from "../../src/graphql/query-limits";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL, type GraphQLResponse } from "../support/graphql-client";
import { SHARED_DATA_DIR } from "../support/market-data";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

// BTCUSDT 1h: 29,304 grid slots from 2022-01-01 through 2025-05-05 23:00.
const WHOLE_HISTORY = `symbol: "BTCUSDT", timeframe: H1, from: "2022-01-01T00:00:00Z", to: "2025-05-05T23:00:00Z"`;

describe("query limits over HTTP, before execution", () => {
  let server: TestServer;
  let graphqlUrl: string;

  beforeAll(async () => {
    server = await startTestServer();
    graphqlUrl = `${server.url}/graphql`;
    await emptyStore(server.database.pool);
    await importCsvFile(postgresBarImportStore(server.database.pool), {
      file: path.join(SHARED_DATA_DIR, "BTCUSDT-1h.csv"),
      symbol: "BTCUSDT",
      timeframe: Timeframe.H1,
      skipInvalid: false,
    });
  });
  afterAll(() => server.close());
  afterEach(() => jest.restoreAllMocks());

  /**
   * The one error of a refused request, after checking it came without data; postGraphQL accepts application/json, for
   * which the GraphQL-over-HTTP specification asks 200 (the graphql-response+json status, 400, is checked below).
   */
  function refusal(response: GraphQLResponse): { message: string; extensions?: Record<string, unknown> } {
    expect(response.status).toBe(200);
    expect(response.data ?? undefined).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    return response.errors![0];
  }

  const aliased = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(" ")} }`;

  it.each([
    ["depth", `{ instruments { ${"... on Instrument { ".repeat(7)}symbol${" }".repeat(7)} } }`, "maxDepth", DEFAULT_QUERY_LIMITS.maxDepth, /^Query depth limit of 8 exceeded, found 9\./],
    ["aliases", aliased(16, "instruments { symbol }"), "maxAliases", DEFAULT_QUERY_LIMITS.maxAliases, /^Aliases limit of 15 exceeded, found 16\./],
    ["tokens", `{ latestFeatures(symbols: [${'"A" '.repeat(1_000)}], timeframe: H1) { symbol } }`, "maxTokens", DEFAULT_QUERY_LIMITS.maxTokens, /^Token limit of 1000 exceeded, found 1015\./],
    ["directives", `{ instruments { ${"symbol @include(if: true) ".repeat(51)}} }`, "maxDirectives", DEFAULT_QUERY_LIMITS.maxDirectives, /^Directives limit of 50 exceeded, found 51\./],
  ])("refuses a query over the %s limit with QUERY_TOO_COMPLEX, naming the limit and the figure", async (_limit, query, limit, maximum, message) => {
    const error = refusal(await postGraphQL(graphqlUrl, query));
    expect(error.message).toMatch(message);
    expect(error.extensions).toEqual({ code: "QUERY_TOO_COMPLEX", limit, maximum });
  });

  it("answers a refusal with 400 to a client accepting application/graphql-response+json", async () => {
    const overAliases = `{ ${Array.from({ length: 16 }, (_unused, index) => `a${index}: instruments { symbol }`).join(" ")} }`;
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: overAliases }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string; limit: string } }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "maxAliases" });
  });

  it("serves what stays within every limit, introspection included", async () => {
    const introspection = await postGraphQL(graphqlUrl, `{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }`);
    expect(introspection.errors).toBeUndefined();
    const fifteen = await postGraphQL(graphqlUrl, aliased(15, "instruments { symbol }"));
    expect(fifteen.errors).toBeUndefined();
  });

  it("refuses 30 aliased `series` up front, and a few heavy ones by their cost, which it names", async () => {
    const computed = jest.spyOn(IndicatorQueryService.prototype, "compute");
    refusal(await postGraphQL(graphqlUrl, aliased(30, `series(${WHOLE_HISTORY}) { close }`)));
    const error = refusal(await postGraphQL(graphqlUrl, aliased(10, `series(${WHOLE_HISTORY}, features: ["a", "b", "c"]) { close }`)));
    expect(error.message).toMatch(/^Query cost limit of 1000000 exceeded, found 1172160 \(bars in the requested ranges × \(1 \+ features or specs\)/);
    expect(error.extensions).toEqual({ code: "QUERY_TOO_COMPLEX", limit: "maxCost", maximum: 1_000_000 });
    expect(computed).not.toHaveBeenCalled();
  });

  it("costs arguments given as variables, against their values", async () => {
    const query = `query($from: DateTimeISO!) { ${Array.from({ length: 5 }, (_, index) => `a${index}: series(symbol: "BTCUSDT", timeframe: H1, from: $from, to: "2025-05-05T23:00:00Z", features: ["a", "b", "c", "d", "e", "f", "g", "h"]) { close }`).join(" ")} }`;
    const far = refusal(await postGraphQL(graphqlUrl, query, { from: "2022-01-01T00:00:00Z" }));
    expect(far.message).toMatch(/found 1318680/);
    const near = await postGraphQL(graphqlUrl, query, { from: "2025-05-01T00:00:00Z" });
    expect(near.errors?.[0].extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
  });

  it("costs a point-in-time join by its events and features, together with the other fields of the operation", async () => {
    const events = Array.from({ length: 1_000 }, () => ({ symbol: "BTCUSDT", timestamp: "2025-05-01" }));
    const features = (count: number) => JSON.stringify(Array.from({ length: count }, (_, index) => `f${index}`));
    // The whole history's 29,304 slots × (1 + 33 features) = 996,336, plus 1,000 events × (1 + n features).
    const operation = (joined: number) => `query($events: [FeatureEvent!]!) {
      series(${WHOLE_HISTORY}, features: ${features(33)}) { close }
      pointInTimeFeatures(timeframe: H1, features: ${features(joined)}, events: $events) { symbol } }`;
    const over = refusal(await postGraphQL(graphqlUrl, operation(3), { events }));
    expect(over.message).toMatch(/found 1000336/);
    const within = await postGraphQL(graphqlUrl, operation(1), { events });
    expect(within.errors?.[0].extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
  });

  it("counts warm-up bars: an EMA whose warm-up exceeds what a request may load is refused before any read", async () => {
    const reads = jest.spyOn(server.database.pool, "query");
    const response = await postGraphQL(
      graphqlUrl,
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "2025-05-05T00:00:00Z", to: "2025-05-05T23:00:00Z", specs: [{ indicator: "ema", parameters: [{ name: "period", value: 100000 }] }]) { openTimes } }`,
    );
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", maxWarmupBars: 100_000 });
    expect(response.errors![0].message).toMatch(/needs \d{7} bars of warm-up before `from`; at most 100000 are loaded per request/);
    expect(reads.mock.calls.filter(([query]) => /FROM bar/.test(String(typeof query === "string" ? query : (query as { text: string }).text)))).toEqual([]);
  });

  it("computes identical aliases of an expensive field once, and identical concurrent requests once", async () => {
    const computed = jest.spyOn(IndicatorQueryService.prototype, "compute");
    const field = `indicators(${WHOLE_HISTORY.replace("2022-01-01", "2023-01-01")}, specs: [{ indicator: "rsi" }, { indicator: "ema", parameters: [{ name: "period", value: 50 }] }]) { openTimes results { outputs { values } } }`;
    const response: any = await postGraphQL(graphqlUrl, aliased(10, field));
    expect(response.errors).toBeUndefined();
    expect(new Set(Object.values(response.data).map((value) => JSON.stringify(value))).size).toBe(1);
    expect(computed).toHaveBeenCalledTimes(1);

    await server.invalidateSymbol("BTCUSDT");
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => postGraphQL(graphqlUrl, `{ ${field} }`)));
    expect(concurrent.map((answer) => answer.errors)).toEqual(Array(5).fill(undefined));
    expect(computed).toHaveBeenCalledTimes(2);
  });

  it("answers a malformed invalidateCache glob with BAD_USER_INPUT and matches a pathological one at once", async () => {
    const invalidate = (pattern: string) =>
      postGraphQL(graphqlUrl, `mutation($pattern: String!) { invalidateCache(pattern: $pattern) { dropped } }`, { pattern }, { apiKey: server.adminKey });
    await postGraphQL(graphqlUrl, `{ indicators(${WHOLE_HISTORY.replace("2022-01-01", "2025-05-01")}, specs: [{ indicator: "rsi" }]) { openTimes } }`);
    const reversed = await invalidate("[z-a]");
    expect(reversed.status).toBeLessThan(500);
    expect(reversed.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(reversed.errors?.[0].message).toMatch(/range z-a runs backwards/);
    const long = await invalidate("*".repeat(10_000));
    expect(long.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const stars = await invalidate("*******!");
    expect(stars.errors).toBeUndefined();
    expect((stars.data as any).invalidateCache.dropped).toBe(0);
    const everything = await invalidate(`${"*a".repeat(60)}*`);
    expect(everything.errors).toBeUndefined();
  });
});
