import { spawnSync } from "node:child_process";
import path from "node:path";
import { Pool } from "pg";
import { chromium, type Browser, type Page } from "playwright-core";
import { Timeframe } from "../../src/domain/timeframe";
import { importCsvFile } from "../../src/ingest/csv-import";
import { postgresBarImportStore } from "../../src/store/offline/bar-import.session";
import { postGraphQL } from "../support/graphql-client";
import { loadSeries } from "../support/market-data";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { temporaryFolder } from "../support/temp-files";
import { emptyStore, testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(__dirname, "../..");
/** Debian's Chromium (.ci/run installs it). */
const CHROMIUM = "/usr/bin/chromium";
const SERIES = loadSeries("BTCUSDT-1h.csv");
const ROWS = 1_500;
const iso = (row: number) => new Date(SERIES.openTime[row]).toISOString();

/** Pixels of the chart's canvases in the candles' up colour and in the first overlay's colour. */
function paintedPixels(page: Page): Promise<{ upCandle: number; overlay: number }> {
  return page.evaluate(() => {
    const counts = { upCandle: 0, overlay: 0 };
    for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>("#chart canvas"))) {
      const context = canvas.getContext("2d");
      if (context === null || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let index = 0; index < data.length; index += 4) {
        const [red, green, blue] = [data[index], data[index + 1], data[index + 2]];
        if (Math.abs(red - 38) < 8 && Math.abs(green - 166) < 8 && Math.abs(blue - 154) < 8) counts.upCandle++;
        if (Math.abs(red - 245) < 8 && Math.abs(green - 166) < 8 && Math.abs(blue - 35) < 8) counts.overlay++;
      }
    }
    return counts;
  });
}

/**
 * The catalogue and chart page in a real browser (Chromium driven by playwright-core) against the built server: the
 * catalogue lists the series and the feature definitions; the chart draws candles and an indicator overlay and a pane,
 * loads older bars when the user drags back, adds a bar ingested meanwhile (a subscription), shows the readiness badge;
 * no request leaves the machine and the console stays free of errors.
 */
describe("catalogue and chart page in Chromium", () => {
  const folder = temporaryFolder();
  let pool: Pool;
  let server: ServerProcess;
  let url: string;
  let browser: Browser;
  let adminKey: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl() });
    await emptyStore(pool);
    await pool.query("DELETE FROM api_key WHERE name = 'e2e-charts'");
    const lines = ["ts,open,high,low,close,volume"];
    for (let row = 0; row < ROWS; row++) lines.push([iso(row), SERIES.open[row], SERIES.high[row], SERIES.low[row], SERIES.close[row], SERIES.volume[row]].join(","));
    await importCsvFile(postgresBarImportStore(pool), { file: folder.write("bars.csv", lines.join("\n")), symbol: "BTCUSDT", timeframe: Timeframe.H1, skipInvalid: false });
    adminKey = spawnSync(process.execPath, ["dist/src/cli/candela.js", "keys", "create", "--name", "e2e-charts", "--scopes", "admin"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
      encoding: "utf8",
    }).stdout.trim();
    server = startServerProcess({ PORT: "0", CANDELA_LOAD_SAMPLES: "false", LOG_LEVEL: "info", CANDELA_ALLOW_ANONYMOUS_READS: "true", DATABASE_URL: testDatabaseUrl() });
    await server.waitForOutput(/Candela is serving GraphQL/, 30_000);
    url = /"url":"(http:[^"]+)\/graphql"/.exec(server.output())![1];
    const registered = await postGraphQL(`${url}/graphql`, `mutation { registerFeature(input: { name: "rsi_14", indicator: "rsi" }) { created } }`, {}, { apiKey: adminKey });
    expect(registered.errors).toBeUndefined();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await pool.query("DELETE FROM api_key WHERE name = 'e2e-charts'");
    await emptyStore(pool);
    await pool.end();
    folder.cleanup();
  });

  it("lists the catalogue, draws candles with an overlay and a pane, loads older bars, follows new ones, all from this server", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${url}/charts/?symbol=BTCUSDT&timeframe=H1&indicator=sma/value&indicator=rsi/value`, { waitUntil: "load" });
    await page.locator("body[data-candles='500'][data-overlays='2']").waitFor({ timeout: 30_000 });

    expect(await page.locator("#series-table tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/^BTCUSDT\tH1\t1,500\t/)]);
    expect(await page.locator("#features-table tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/^rsi_14@1\trsi\tperiod=14\tvalue\t[0-9a-f]{16}/)]);
    await page.waitForTimeout(300);
    const painted = await paintedPixels(page);
    expect(painted.upCandle).toBeGreaterThan(500);
    expect(painted.overlay).toBeGreaterThan(200);
    await page.locator("#readiness").filter({ hasText: /CATCHING_UP/ }).waitFor({ timeout: 15_000 });

    // Dragging the chart to the right scrolls back to the oldest bar: the page loads the 500 before it.
    const box = (await page.locator("#chart").boundingBox())!;
    for (let drag = 0; drag < 3; drag++) {
      await page.mouse.move(box.x + 200, box.y + 200);
      await page.mouse.down();
      await page.mouse.move(box.x + 1_200, box.y + 200, { steps: 10 });
      await page.mouse.up();
    }
    await page.locator("body[data-candles='1000']").waitFor({ timeout: 15_000 });
    expect(await page.locator("body").getAttribute("data-oldest-bar")).toBe(iso(ROWS - 1_000));

    // A bar ingested now reaches the chart over the subscription.
    const ingested = await postGraphQL<any>(`${url}/graphql`, `mutation($bars: [BarInput!]!) { ingestBars(symbol: "BTCUSDT", timeframe: H1, bars: $bars) { inserted } }`, {
      bars: [{ openTime: iso(ROWS), open: SERIES.open[ROWS], high: SERIES.high[ROWS], low: SERIES.low[ROWS], close: SERIES.close[ROWS], volume: SERIES.volume[ROWS] }],
    }, { apiKey: adminKey });
    expect(ingested.data?.ingestBars.inserted).toBe(1);
    await page.locator("body[data-candles='1001']").waitFor({ timeout: 15_000 });

    const origin = new URL(url).origin;
    expect(requests.filter((request) => !request.startsWith(origin) && !request.startsWith(origin.replace("http", "ws")) && !request.startsWith("data:"))).toEqual([]);
    expect(problems).toEqual([]);
    if (process.env.CHARTS_SCREENSHOT !== undefined) await page.screenshot({ path: process.env.CHARTS_SCREENSHOT, fullPage: false });
    await page.close();
  });

  it("serves its files cacheable, the libraries from node_modules", async () => {
    const app = await fetch(`${url}/charts/app.js`);
    expect(app.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(app.headers.get("etag")).not.toBeNull();
    const library = await fetch(`${url}/charts/vendor/lightweight-charts.mjs`);
    expect([library.status, library.headers.get("content-type"), library.headers.get("cache-control")]).toEqual([200, "text/javascript; charset=utf-8", "public, max-age=86400"]);
    expect((await fetch(`${url}/charts/vendor/nope.js`)).status).toBe(404);
  });
});
