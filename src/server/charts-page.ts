import path from "node:path";
import express, { type Express } from "express";
import { PROJECT_ROOT } from "../platform/project-root";

/** Where the catalogue and chart page is served. */
export const CHARTS_PATH = "/charts";

const PAGE_FOLDER = path.join(PROJECT_ROOT, "public", "charts");
/** The vendored browser libraries, from node_modules: nothing is fetched from the internet. */
const VENDOR: Readonly<Record<string, string>> = {
  "lightweight-charts.mjs": path.join(PROJECT_ROOT, "node_modules", "lightweight-charts", "dist", "lightweight-charts.standalone.production.mjs"),
  "graphql-ws.js": path.join(PROJECT_ROOT, "node_modules", "graphql-ws", "umd", "graphql-ws.min.js"),
};

/**
 * Serves the catalogue and chart page (public/charts: static HTML, CSS and an ES module calling /graphql) and its two
 * libraries (TradingView's lightweight-charts, graphql-ws) from node_modules. The page carries no data, so it is served
 * to everyone; its GraphQL requests are authorized like any others (the page asks for a key in production mode). Every
 * file is cacheable: the page's own for an hour (ETag revalidation), the libraries for a day.
 */
export function serveChartsPage(app: Express): void {
  // Relative links need the trailing slash; Express's routing ignores it, so the check looks at the URL itself.
  app.get(CHARTS_PATH, (request, response, next) => {
    const [pathname, query] = request.originalUrl.split("?", 2);
    if (pathname === CHARTS_PATH) response.redirect(301, `${CHARTS_PATH}/${query === undefined ? "" : `?${query}`}`);
    else next();
  });
  app.get(`${CHARTS_PATH}/vendor/:file`, (request, response) => {
    const file = VENDOR[request.params.file];
    if (file === undefined) {
      response.status(404).json({ error: { code: "NOT_FOUND", message: "No such file." } });
      return;
    }
    response.type("text/javascript").sendFile(file, { maxAge: "1d" });
  });
  app.use(CHARTS_PATH, express.static(PAGE_FOLDER, { maxAge: "1h", index: "index.html" }));
}
