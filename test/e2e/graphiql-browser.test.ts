import { chromium, type Browser } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { testDatabaseUrl } from "../support/test-database";

/** Debian's Chromium (.ci/run installs it). */
const CHROMIUM = "/usr/bin/chromium";

/**
 * GraphiQL in a real browser (Chromium driven by playwright-core) under the server's strict Content-Security-Policy:
 * the page loads without a single policy violation, opens on its example tabs, runs the example query against the built
 * server, and cannot be framed by another origin.
 */
describe("GraphiQL in Chromium", () => {
  let server: ServerProcess;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    // Anonymous reads, as on a developer's machine, so the page needs no key.
    server = startServerProcess({ PORT: "0", CANDELA_LOAD_SAMPLES: "false", LOG_LEVEL: "info", CANDELA_ALLOW_ANONYMOUS_READS: "true", DATABASE_URL: testDatabaseUrl() });
    await server.waitForOutput(/Candela is serving GraphQL/, 30_000);
    url = /"url":"(http:[^"]+\/graphql)"/.exec(server.output())![1];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("loads and runs the example query against the server with no Content-Security-Policy violation", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => console.error(`Refused to load: ${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(url, { waitUntil: "load" });
    // A first visit opens on the example tabs: history, latest values, readiness, registering a feature.
    await page.locator(".graphiql-tab").first().waitFor({ timeout: 30_000 });
    const tabs = (await page.locator(".graphiql-tab").allInnerTexts()).map((text) => text.trim());
    expect(tabs).toEqual(expect.arrayContaining(["Example", "Latest", "Readiness", "Register"]));
    await page.locator(".graphiql-tab", { hasText: "Example" }).click();
    await page.locator(".graphiql-execute-button").click({ timeout: 30_000 });
    // The server's answer (data, or NOT_FOUND when the test store has no BTCUSDT), shown as JSON in the result pane.
    await page.locator(".result-window", { hasText: /"(instruments|NOT_FOUND)"/ }).waitFor({ timeout: 30_000 });
    expect(violations).toEqual([]);
    await page.close();
  });

  it("is not shown inside a frame of another origin", async () => {
    const page = await browser.newPage();
    const frameErrors: string[] = [];
    page.on("console", (message) => frameErrors.push(message.text()));
    await page.setContent(`<iframe src="${url}" width="400" height="300"></iframe>`);
    await page.waitForTimeout(1_000);
    const framed = page.frames().find((frame) => frame.url().startsWith(url));
    const loaded = framed === undefined ? false : await framed.locator(".graphiql-container").count().catch(() => 0);
    expect(loaded).toBeFalsy();
    expect(frameErrors.join("\n")).toMatch(/frame-ancestors|X-Frame-Options/);
    await page.close();
  });
});
