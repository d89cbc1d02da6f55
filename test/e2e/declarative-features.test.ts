/**
 * Declarative features end to end: `candela apply` prints the plan of a features file and applies it idempotently (a
 * changed definition becomes a new version), deprecating a name keeps its values readable and its name out of new
 * registrations, a malformed file is refused naming the entry, and `candela materialize` precomputes the offline store
 * so that a later query reads it instead of computing.
 */
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { runCommand } from "../support/child-process";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries } from "../support/market-data";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";
import { startTestServer, type TestServer } from "../support/test-server";

const SERIES = loadSeries("BTCUSDT-1h.csv");
const ROWS = 2_000;
const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();
const candela = (...args: string[]) => runCommand(process.execPath, ["dist/src/cli/candela.js", ...args], { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: "warn" });

describe("declarative features", () => {
  const folder = temporaryFolder();
  let server: TestServer;
  const file = (yaml: string) => folder.write("features.yml", yaml);
  const FIRST = `features:
  - name: rsi_14
    indicator: rsi
    parameters: { period: 14 }
    description: Wilder's RSI over 14 bars
  - name: macd_hist
    indicator: macd
    output: histogram
`;

  beforeAll(async () => {
    server = await startTestServer();
    await emptyStore(server.database.pool);
    const lines = ["ts,open,high,low,close,volume"];
    for (let row = 0; row < ROWS; row++) lines.push([iso(row), SERIES.open[row], SERIES.high[row], SERIES.low[row], SERIES.close[row], SERIES.volume[row]].join(","));
    await importCsvFile(postgresBarImportStore(server.database.pool), { file: folder.write("bars.csv", lines.join("\n")), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
  });
  afterAll(async () => {
    await emptyStore(server.database.pool);
    await server.close();
    folder.cleanup();
  });

  it("plans without changing anything, applies, and applies the same file again as a no-op", async () => {
    const plan = await candela("apply", "--file", file(FIRST), "--dry-run");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/^Plan \(2 changes\):\n  rsi_14\s+create -> rsi_14@1\n  macd_hist\s+create -> macd_hist@1\n$/);
    const applied = await candela("apply", "--file", file(FIRST));
    expect(applied.stdout).toMatch(/^Applied \(2 changes\):/);
    const again = await candela("apply", "--file", file(FIRST));
    expect(again.stdout).toMatch(/^Applied \(0 changes\):\n  rsi_14\s+unchanged -> rsi_14@1\n  macd_hist\s+unchanged -> macd_hist@1\n$/);
  });

  it("registers a changed definition as the next version, keeping the first", async () => {
    const changed = await candela("apply", "--file", file(FIRST.replace("period: 14", "period: 21")));
    expect(changed.stdout).toMatch(/rsi_14\s+new version -> rsi_14@2/);
    const definitions = (await postGraphQL<any>(`${server.url}/graphql`, `{ featureDefinitions { reference parameters { name value } } }`)).data.featureDefinitions;
    expect(definitions.filter((definition: any) => definition.reference.startsWith("rsi_14@")).map((definition: any) => [definition.reference, definition.parameters[0].value])).toEqual([
      ["rsi_14@1", 14],
      ["rsi_14@2", 21],
    ]);
  });

  it("deprecates a name: its values stay readable, new registrations under it are refused", async () => {
    await candela("apply", "--file", file(`${FIRST}  - name: rsi_7\n    indicator: rsi\n    parameters: { period: 7 }\n`));
    const deprecated = await candela("apply", "--file", file(`${FIRST}  - name: rsi_7\n    deprecated: replaced by rsi_14\n`));
    expect(deprecated.stdout).toMatch(/rsi_7\s+deprecate -> rsi_7@1: replaced by rsi_14/);
    const listed = (await postGraphQL<any>(`${server.url}/graphql`, `{ featureDefinitions { reference deprecationReason } }`)).data.featureDefinitions;
    expect(listed.find((definition: any) => definition.reference === "rsi_7@1").deprecationReason).toBe("replaced by rsi_14");
    const values = await postGraphQL<any>(`${server.url}/graphql`, `{ features(symbol: "BTCUSDT", timeframe: H1, from: "${iso(100)}", to: "${iso(101)}", features: ["rsi_7"]) { features { values } } }`);
    expect(values.errors).toBeUndefined();
    expect(values.data.features.features[0].values).toHaveLength(2);
    const refused = await postGraphQL<any>(`${server.url}/graphql`, `mutation { registerFeature(input: { name: "rsi_7", indicator: "rsi", parameters: [{ name: "period", value: 9 }] }) { created } }`, {}, { apiKey: server.adminKey });
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining('Feature "rsi_7" is deprecated (replaced by rsi_14)'), extensions: { code: "BAD_USER_INPUT" } });
  });

  it("applies composed features reading a feature the file lists before them, pinned to the version the file defines, and one feature per window", async () => {
    const composed = `${FIRST}  - name: rsi_14_zscore\n    indicator: zscore\n    input: rsi_14\n    parameters: { period: 50 }\n  - name: sma_trend\n    indicator: sma\n    windows: [20, 50]\n`;
    // rsi_14@2 (period 21) is the registered latest; the file's rsi_14 is @1 (period 14), which the composed feature reads.
    const applied = await candela("apply", "--file", file(composed));
    expect(applied.stdout).toMatch(/rsi_14_zscore\s+create -> rsi_14_zscore@1 \(reads rsi_14@1\)/);
    expect(applied.stdout).toMatch(/sma_trend_20\s+create -> sma_trend_20@1\n  sma_trend_50\s+create -> sma_trend_50@1\n$/);
    const again = await candela("apply", "--file", file(composed), "--dry-run");
    expect(again.stdout).toMatch(/rsi_14_zscore\s+unchanged -> rsi_14_zscore@1 \(reads rsi_14@1\)/);
    const changed = await candela("apply", "--file", file(composed.replace("period: 14", "period: 21")));
    expect(changed.stdout).toMatch(/rsi_14\s+unchanged -> rsi_14@2\n[\s\S]*rsi_14_zscore\s+new version -> rsi_14_zscore@2 \(reads rsi_14@2\)/);
    const definitions = (await postGraphQL<any>(`${server.url}/graphql`, `{ featureDefinitions { reference input { reference } } }`)).data.featureDefinitions;
    expect(definitions.filter((definition: any) => definition.reference.startsWith("rsi_14_zscore@"))).toEqual([
      { reference: "rsi_14_zscore@1", input: { reference: "rsi_14@1" } },
      { reference: "rsi_14_zscore@2", input: { reference: "rsi_14@2" } },
    ]);
  });

  it("refuses a malformed file with exit code 2, naming the entry, and applies nothing", async () => {
    const run = await candela("apply", "--file", file("features:\n  - name: bad_one\n    indicator: rsi\n    parameters: { period: fourteen }\n"));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/candela apply \[BAD_USER_INPUT\]: .*features\.yml is not a features file:\n\s+features\.0/);
    const unknown = await candela("apply", "--file", file("features:\n  - name: good_one\n    indicator: rsi\n  - name: bad_two\n    indicator: nope\n"));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/nope/);
    expect((await candela("apply", "--file", file("features:\n  - name: good_one\n    indicator: rsi\n"), "--dry-run")).stdout).toMatch(/good_one\s+create/);
  });

  it("materializes features into the offline store; a later query reads them instead of computing", async () => {
    const run = await candela("materialize", "--features", "macd_hist", "--timeframe", "1h", "--from", iso(0), "--to", iso(ROWS - 1));
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^Materialized macd_hist@1 \(1h\):\n  BTCUSDT\s+2000 bars/);
    const frame = await postGraphQL<any>(`${server.url}/graphql`, `{ features(symbol: "BTCUSDT", timeframe: H1, from: "${iso(1_500)}", to: "${iso(1_999)}", features: ["macd_hist"]) { features { source materializedValues } } }`);
    expect(frame.data.features.features[0]).toEqual({ source: "MATERIALIZED", materializedValues: 500 });
  });
});
