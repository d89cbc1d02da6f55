import { MAX_INDICATOR_SPECS } from "../../src/features/query-limits";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Timeframe } from "../../src/domain/timeframe";
import { buildSchemaWithoutServices, printCandelaSchema } from "../../src/graphql/schema";
import { importCsvFile } from "../../src/ingest/csv-import";
import { INDICATORS } from "../../src/indicators/registry";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries, SHARED_DATA_DIR } from "../support/market-data";
import { emptyStore } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";
import { contextOf } from "../support/series-contexts";
import { mismatchesAgainstTalib } from "../support/talib-reference";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";

const INDICATORS_QUERY = `query Indicators($symbol: String!, $timeframe: Timeframe!, $from: DateTimeISO!, $to: DateTimeISO!, $specs: [IndicatorSpecInput!]!) {
  indicators(symbol: $symbol, timeframe: $timeframe, from: $from, to: $to, specs: $specs) {
    openTimes
    results { indicator label lookback warmupBarsRequired warmupBarsAvailable historySufficient firstReliableOpenTime note
              parameters { name value } outputs { name values } }
  }
}`;

describe("GraphQL API over HTTP against the real PostgreSQL", () => {
  let server: TestServer;
  let graphqlUrl: string;
  const series = loadSeries("BTCUSDT-1h.csv");

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

  /** `indicators` on BTCUSDT H1 over [from, to] (ISO-8601). */
  function requestIndicators(from: string, to: string, specs: unknown[]): Promise<any> {
    return postGraphQL(graphqlUrl, INDICATORS_QUERY, { symbol: "BTCUSDT", timeframe: "H1", from, to, specs });
  }

  it("lists instruments with their stored series", async () => {
    const response = await postGraphQL(graphqlUrl, `{ instruments { symbol calendar { kind session } series { timeframe barCount firstOpenTime lastOpenTime } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.instruments).toEqual([
      {
        symbol: "BTCUSDT",
        calendar: { kind: "ALWAYS_OPEN", session: null },
        series: [{ timeframe: "H1", barCount: 29_303, firstOpenTime: "2022-01-01T00:00:00.000Z", lastOpenTime: "2025-05-05T23:00:00.000Z" }],
      },
    ]);
  });

  it("reports a stored series' gaps against its calendar: BTCUSDT-1h's one missing hour", async () => {
    const response = await postGraphQL<any>(graphqlUrl, `{ instrument(symbol: "BTCUSDT") { series { timeframe gaps(first: 5) { count missingBars gaps { firstMissingOpenTime lastMissingOpenTime missingBars } } } } }`);
    expect(response.errors).toBeUndefined();
    const [series] = response.data.instrument.series;
    expect(series.gaps).toMatchObject({ count: 1, missingBars: 1 });
    const missing = Date.parse(series.gaps.gaps[0].firstMissingOpenTime);
    const openTimes = loadSeries("BTCUSDT-1h.csv").openTime;
    expect(openTimes.includes(missing)).toBe(false);
    expect(openTimes.includes(missing - 3_600_000) && openTimes.includes(missing + 3_600_000)).toBe(true);
  });

  it("pages through bars with cursors, oldest first, until hasNextPage is false", async () => {
    const query = `query Page($after: String) {
      bars(symbol: "BTCUSDT", timeframe: H1, from: "2022-01-01T00:00:00Z", to: "2022-01-01T04:00:00Z", first: 2, after: $after) {
        edges { cursor node { openTime closeTime open high low close volume } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const openTimes: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: any = await postGraphQL(graphqlUrl, query, { after });
      expect(response.errors).toBeUndefined();
      const page = response.data.bars;
      openTimes.push(...page.edges.map((edge: any) => edge.node.openTime));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(openTimes).toEqual(["00", "01", "02", "03", "04"].map((hour) => `2022-01-01T${hour}:00:00.000Z`));
    const first: any = await postGraphQL(graphqlUrl, query, { after: null });
    expect(first.data.bars.edges[0].node).toEqual({
      openTime: "2022-01-01T00:00:00.000Z",
      closeTime: "2022-01-01T01:00:00.000Z",
      open: 46216.93,
      high: 46731.39,
      low: 46208.37,
      close: 46656.13,
      volume: 1503.33095,
    });
  });

  it("reads a date alone as 00:00 UTC, in literals and variables, and refuses other forms naming the accepted ones", async () => {
    const literal = await postGraphQL<any>(graphqlUrl, `{ bars(symbol: "BTCUSDT", timeframe: H1, from: "2022-01-02", first: 1) { nodes { openTime } } }`);
    expect(literal.data.bars.nodes).toEqual([{ openTime: "2022-01-02T00:00:00.000Z" }]);
    const variable = await postGraphQL<any>(graphqlUrl, `query($from: DateTimeISO!) { bars(symbol: "BTCUSDT", timeframe: H1, from: $from, first: 1) { nodes { openTime } } }`, { from: "2022-01-03" });
    expect(variable.data.bars.nodes).toEqual([{ openTime: "2022-01-03T00:00:00.000Z" }]);
    for (const from of ["2022-02-30", "01/02/2022", "2022-01-02T00:00:00"]) {
      const refused = await postGraphQL<any>(graphqlUrl, `query($from: DateTimeISO!) { bars(symbol: "BTCUSDT", timeframe: H1, from: $from) { nodes { openTime } } }`, { from });
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('or a date ("2024-01-01", read as 00:00 UTC)'), extensions: { code: "BAD_USER_INPUT" } });
    }
  });

  it("names the API's timeframe spellings beside the CLI's when a client sends the CLI's", async () => {
    const refused = await postGraphQL<any>(graphqlUrl, `query($timeframe: Timeframe!) { bars(symbol: "BTCUSDT", timeframe: $timeframe) { nodes { open } } }`, { timeframe: "1h" });
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining("Timeframes are M1, M5, M15, M30, H1, H4, D1 (the CLI's and CSV's labels 1m"), extensions: { code: "BAD_USER_INPUT" } });
  });

  it("returns every indicator's full-history value from the first requested row, matching TA-Lib within 1e-9", async () => {
    const fromRow = 20_000;
    const toRow = 20_499;
    // A request takes at most MAX_INDICATOR_SPECS specs: the registry in groups of that many.
    const groups = Array.from({ length: Math.ceil(INDICATORS.length / MAX_INDICATOR_SPECS) }, (_, group) =>
      INDICATORS.slice(group * MAX_INDICATOR_SPECS, (group + 1) * MAX_INDICATOR_SPECS),
    );
    const results: any[] = [];
    for (const group of groups) {
      const response: any = await requestIndicators(new Date(series.openTime[fromRow]).toISOString(), new Date(series.openTime[toRow]).toISOString(), group.map((definition) => ({ indicator: definition.id })));
      expect(response.errors).toBeUndefined();
      expect(response.data.indicators.openTimes).toHaveLength(500);
      expect(response.data.indicators.openTimes[0]).toBe(new Date(series.openTime[fromRow]).toISOString());
      results.push(...response.data.indicators.results);
    }
    expect(results.map((spec) => spec.indicator)).toEqual(INDICATORS.map((definition) => definition.id));
    for (const spec of results) {
      expect(spec.historySufficient).toBe(true);
      expect(spec.note).toBeNull();
      const parameters = Object.fromEntries(spec.parameters.map((parameter: any) => [parameter.name, parameter.value]));
      const mismatches = mismatchesAgainstTalib(spec.indicator, parameters, series, contextOf("BTCUSDT-1h.csv"), fromRow, spec.outputs);
      expect(mismatches.filter((output) => output.mismatched > 0)).toEqual([]);
    }
  });

  it("returns null before the lookback and says when the stored history is too short", async () => {
    const response: any = await requestIndicators("2021-12-31T00:00:00Z", "2022-01-10T00:00:00Z", [{ indicator: "ema", parameters: [{ name: "period", value: 10 }] }]);
    expect(response.errors).toBeUndefined();
    const [ema] = response.data.indicators.results;
    expect(ema.label).toBe("ema(10)");
    expect(ema.outputs[0].values.slice(0, 9)).toEqual(Array(9).fill(null));
    expect(ema.outputs[0].values[9]).not.toBeNull();
    expect(ema.historySufficient).toBe(false);
    expect(ema.warmupBarsAvailable).toBe(0);
    expect(ema.firstReliableOpenTime).toBe(new Date(series.openTime[ema.warmupBarsRequired]).toISOString());
    expect(ema.note).toMatch(/Only 0 bars are stored before `from`; ema\(10\) needs \d+/);
  });

  it("returns only the requested output of a multi-output indicator", async () => {
    const response: any = await requestIndicators("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", [{ indicator: "macd", output: "signal" }]);
    expect(response.data.indicators.results[0].outputs.map((output: any) => output.name)).toEqual(["signal"]);
  });

  const HOUR = "2024-01-01T00:00:00Z";
  it.each([
    ["an unknown symbol", `{ bars(symbol: "NOPE", timeframe: H1) { nodes { open } } }`, "NOT_FOUND", /Unknown symbol "NOPE"/],
    ["an unknown indicator", `{ indicatorMetadata(id: "foo") { id } }`, "NOT_FOUND", /Unknown indicator "foo"/],
    [
      "a parameter out of bounds",
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${HOUR}", to: "${HOUR}", specs: [{ indicator: "rsi", parameters: [{ name: "period", value: 0 }] }]) { openTimes } }`,
      "BAD_USER_INPUT",
      /period/,
    ],
    [
      "an unknown parameter",
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${HOUR}", to: "${HOUR}", specs: [{ indicator: "rsi", parameters: [{ name: "length", value: 5 }] }]) { openTimes } }`,
      "BAD_USER_INPUT",
      /length/,
    ],
    [
      "an unknown output",
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "${HOUR}", to: "${HOUR}", specs: [{ indicator: "macd", output: "foo" }]) { openTimes } }`,
      "BAD_USER_INPUT",
      /no output "foo". Its outputs are: macd, signal, histogram/,
    ],
    [
      "from after to",
      `{ indicators(symbol: "BTCUSDT", timeframe: H1, from: "2024-02-01T00:00:00Z", to: "${HOUR}", specs: [{ indicator: "rsi" }]) { openTimes } }`,
      "BAD_USER_INPUT",
      /is after `to`/,
    ],
    [
      "a range over the maximum",
      `{ indicators(symbol: "BTCUSDT", timeframe: M1, from: "2024-01-01T00:00:00Z", to: "2024-04-01T00:00:00Z", specs: [{ indicator: "rsi" }]) { openTimes } }`,
      "BAD_USER_INPUT",
      /at most 100000 are allowed/,
    ],
    ["a page size of 0", `{ bars(symbol: "BTCUSDT", timeframe: H1, first: 0) { nodes { open } } }`, "BAD_USER_INPUT", /`first` must be between 1 and 5000/],
    ["a forged cursor", `{ bars(symbol: "BTCUSDT", timeframe: H1, after: "abc") { nodes { open } } }`, "BAD_USER_INPUT", /Invalid cursor/],
    ["an unknown timeframe", `{ bars(symbol: "BTCUSDT", timeframe: H2) { nodes { open } } }`, "GRAPHQL_VALIDATION_FAILED", /H2/],
    ["a malformed date", `{ bars(symbol: "BTCUSDT", timeframe: H1, from: "yesterday") { nodes { open } } }`, "GRAPHQL_VALIDATION_FAILED", /DateTime/],
  ])("answers %s with a coded error, a usable message and no stack trace", async (_case, query, code, message) => {
    const response = await postGraphQL(graphqlUrl, query);
    expect(response.status).toBeLessThan(500);
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error.extensions?.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(JSON.stringify(error)).not.toMatch(/stacktrace|    at /);
  });

  it("describes every indicator in availableIndicators", async () => {
    const response: any = await postGraphQL(graphqlUrl, `{ availableIndicators { id name description source inputs parameters { name defaultValue minimum maximum } outputs { name } defaultLookback defaultWarmupBars } }`);
    expect(response.data.availableIndicators.map((indicator: any) => indicator.id).sort()).toEqual(INDICATORS.map((indicator) => indicator.id).sort());
    const rsi = response.data.availableIndicators.find((indicator: any) => indicator.id === "rsi");
    expect(rsi).toMatchObject({ inputs: ["CLOSE"], defaultLookback: 14, parameters: [{ name: "period", defaultValue: 14 }] });
  });

  it("groups indicators, names their references and says what each output's tolerance is relative to", async () => {
    const response: any = await postGraphQL(graphqlUrl, `{ availableIndicators(group: VOLATILITY) { id group reference { kind source } outputs { name toleranceScale } } }`);
    expect(response.data.availableIndicators.map((indicator: any) => indicator.id)).toEqual(INDICATORS.filter((indicator) => indicator.group === "VOLATILITY").map((indicator) => indicator.id));
    expect(response.data.availableIndicators.find((indicator: any) => indicator.id === "atr")).toMatchObject({ reference: { kind: "TALIB", source: "TA_ATR" }, outputs: [{ name: "value", toleranceScale: "VALUE" }] });
    expect(response.data.availableIndicators.find((indicator: any) => indicator.id === "donchian").reference).toMatchObject({ kind: "CITED", source: expect.stringMatching(/Donchian/) });
    const macd: any = await postGraphQL(graphqlUrl, `{ indicatorMetadata(id: "macd") { group outputs { toleranceScale } } }`);
    expect(macd.data.indicatorMetadata).toEqual({ group: "MOMENTUM", outputs: [{ toleranceScale: "PRICE" }, { toleranceScale: "PRICE" }, { toleranceScale: "PRICE" }] });
  });

  it("reports each spec's own warm-up figures", async () => {
    const response = await requestIndicators("2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z", [{ indicator: "sma", parameters: [{ name: "period", value: 5 }] }, { indicator: "ema", parameters: [{ name: "period", value: 50 }] }]);
    const [sma, ema] = response.data.indicators.results;
    expect([sma.warmupBarsRequired, sma.warmupBarsAvailable]).toEqual([4, 4]);
    expect(ema.warmupBarsAvailable).toBe(ema.warmupBarsRequired);
    expect(ema.warmupBarsRequired).toBeGreaterThan(4);
  });

  it("serves GraphiQL to a browser, with no external script or stylesheet", async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/GraphiQL/);
    expect(page).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(page).not.toMatch(/<link[^>]+href=["']https?:/);
  });

  it("answers GraphQL GET requests (JSON, not GraphiQL) and refuses methods GraphQL does not use", async () => {
    const query = encodeURIComponent(`{ instruments { symbol } }`);
    const get = await fetch(`${graphqlUrl}?query=${query}`, { headers: { accept: "application/json", "apollo-require-preflight": "true" } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { instruments: [{ symbol: "BTCUSDT" }] } });
    const put = await fetch(graphqlUrl, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(put.status).toBe(405);
  });

  it.each([
    ["malformed JSON", "application/json", `{"query": "{ instruments { symbol } }"`, 400, "BAD_REQUEST", /not valid JSON/],
    ["a body over 1 MB", "application/json", JSON.stringify({ query: `{ instruments { symbol } }`, padding: "x".repeat(1_100_000) }), 413, "BAD_REQUEST", /larger than 1mb/],
    ["an unsupported charset", "application/json; charset=latin1", `{"query": "{ instruments { symbol } }"}`, 415, "UNSUPPORTED_MEDIA_TYPE", /charset/],
  ])("rejects %s with a JSON GraphQL error, no stack trace", async (_case, contentType, body, status, code, message) => {
    const response = await fetch(graphqlUrl, { method: "POST", headers: { "content-type": contentType }, body });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const payload: any = await response.json();
    expect(payload.errors).toHaveLength(1);
    expect(payload.errors[0].extensions).toEqual({ code });
    expect(payload.errors[0].message).toMatch(message);
    expect(JSON.stringify(payload)).not.toMatch(/\n\s+at /);
  });

  it("reports liveness and readiness", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      dependencies: [
        { name: "database", healthy: true, detail: "up" },
        { name: "migrations", healthy: true, detail: "all applied" },
        { name: "postgresql", healthy: true, detail: "breaker closed" },
        { name: "feature-computation", healthy: true, detail: "breaker closed" },
        { name: "notification-listener", healthy: true, detail: "listening" },
      ],
    });
    const health: any = await postGraphQL(graphqlUrl, `{ health { ready dependencies { name healthy } } }`);
    expect(health.data.health.ready).toBe(true);
  });

  it("compresses large answers with brotli or gzip as the client accepts, and leaves others as they are", async () => {
    const ask = (encoding: string) =>
      fetch(graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "accept-encoding": encoding },
        body: JSON.stringify({ query: "{ availableIndicators { id name description source parameters { name description } } }" }),
      });
    const brotli = await ask("br");
    expect(brotli.headers.get("content-encoding")).toBe("br");
    const gzip = await ask("gzip");
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    const plain = await ask("identity");
    expect(plain.headers.get("content-encoding")).toBeNull();
    const [fromBrotli, fromGzip, fromPlain] = await Promise.all([brotli.json(), gzip.json(), plain.json()]);
    expect(fromBrotli).toEqual(fromPlain);
    expect(fromGzip).toEqual(fromPlain);
    expect((fromPlain as any).data.availableIndicators.length).toBeGreaterThan(40);
  });

  it("echoes a well-formed x-request-id and replaces any other with a UUID", async () => {
    const send = (id: string) =>
      fetch(graphqlUrl, { method: "POST", headers: { "content-type": "application/json", "x-request-id": id }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect((await send("bot-7.order_42")).headers.get("x-request-id")).toBe("bot-7.order_42");
    for (const bad of ["x".repeat(65), "has space", "new\\nline"]) {
      expect((await send(bad)).headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("exports Prometheus metrics, including this server's GraphQL requests by root field (never the client's operation names)", async () => {
    const count = (text: string, labels: string) => Number(new RegExp(`candela_graphql_requests_total\\{${labels}\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const before = await (await fetch(`${server.url}/metrics`)).text();
    await postGraphQL(graphqlUrl, `query MetricsProbe { instruments { symbol } }`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(count(text, 'operation="instruments",outcome="ok"')).toBe(count(before, 'operation="instruments",outcome="ok"') + 1);
    expect(text).not.toMatch(/MetricsProbe/);
    // A user's mistake is a client error in the metrics, as in the response (NOT_FOUND), not a server error.
    await postGraphQL(graphqlUrl, `query MetricsMistake { bars(symbol: "NOPE", timeframe: H1) { nodes { open } } }`);
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(count(after, 'operation="bars",outcome="client_error"')).toBe(count(text, 'operation="bars",outcome="client_error"') + 1);
    // Unparsable documents and 50 made-up operation names add no label values.
    await postGraphQL(graphqlUrl, `query { instruments {`);
    for (let index = 0; index < 50; index++) await postGraphQL(graphqlUrl, `query Made${index} { __typename }`);
    const last = await (await fetch(`${server.url}/metrics`)).text();
    expect(last).not.toMatch(/Made\d/);
    expect(count(last, 'operation="none",outcome="client_error"')).toBeGreaterThan(count(after, 'operation="none",outcome="client_error"'));
    expect(count(last, 'operation="__typename",outcome="ok"')).toBe(count(after, 'operation="__typename",outcome="ok"') + 50);
    // A body that is not JSON never reaches Apollo, and is counted all the same.
    const badBody = await fetch(graphqlUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query": ' });
    expect(badBody.status).toBe(400);
    const afterBadBody = await (await fetch(`${server.url}/metrics`)).text();
    expect(count(afterBadBody, 'operation="none",outcome="client_error"')).toBe(count(last, 'operation="none",outcome="client_error"') + 1);
    expect(text).toMatch(/candela_cache_hits_total\{cache="query",tier="process"\}/);
  });
});

describe("schema.graphql", () => {
  it("is the committed output of the type-graphql code (run `npm run schema` after changing the API)", async () => {
    const schema = await buildSchemaWithoutServices();
    const committed = readFileSync(path.resolve(__dirname, "../../schema.graphql"), "utf8");
    expect(committed).toBe(printCandelaSchema(schema));
  });
});
