import { createHash } from "node:crypto";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

/** Where GraphiQL's script and style are served, under content-hashed names (cacheable for good). */
export const GRAPHIQL_ASSETS_PATH = "/graphiql/assets";

/** A GraphiQL file: its media type and content. */
export interface GraphiQLAsset {
  readonly contentType: string;
  readonly body: string;
}

interface RenderedGraphiQL {
  readonly page: string;
  readonly assets: ReadonlyMap<string, GraphiQLAsset>;
}

let rendered: RenderedGraphiQL | undefined;

/**
 * The GraphiQL page for `endpoint` (@graphql-yoga/render-graphiql: it works in a browser without internet), opening on
 * example tabs. Rendered once; its 8 MB script and 0.8 MB style are moved out of the page into files named by their
 * content's hash (see `graphiqlAsset`), so browsers cache them for good and the page itself is 150 kB (its icon). The page
 * then holds no inline script, which the Content-Security-Policy's `'self'` allows as it is.
 */
export function graphiqlPage(endpoint: string): string {
  return render(endpoint).page;
}

/** A file the GraphiQL page links to, by its hashed name (e.g. "3f2a….js"); undefined for any other name. */
export function graphiqlAsset(endpoint: string, file: string): GraphiQLAsset | undefined {
  return render(endpoint).assets.get(file);
}

function render(endpoint: string): RenderedGraphiQL {
  if (rendered !== undefined) return rendered;
  const assets = new Map<string, GraphiQLAsset>();
  const store = (body: string, extension: "js" | "css", contentType: string) => {
    const name = `${createHash("sha256").update(body).digest("hex").slice(0, 20)}.${extension}`;
    assets.set(name, { contentType, body });
    return `${GRAPHIQL_ASSETS_PATH}/${name}`;
  };
  const html = renderGraphiQL({
    endpoint,
    title: "Candela GraphiQL",
    defaultQuery: EXAMPLE_QUERY,
    // Shown on a first visit (GraphiQL keeps the user's own tabs afterwards): history, latest values, readiness,
    // registering a feature.
    defaultTabs: [EXAMPLE_QUERY, LATEST_EXAMPLE, READINESS_EXAMPLE, REGISTER_EXAMPLE].map((query) => ({ query })),
  });
  // The page's own tags start their lines; the bundle's code holds "<script>" only inside strings.
  const page = html
    .replace(/^(\s*)<style>([\s\S]*?)<\/style>/gm, (_tag, indent: string, body: string) => `${indent}<link rel="stylesheet" href="${store(body, "css", "text/css; charset=utf-8")}" />`)
    .replace(/^(\s*)<script>([\s\S]*?)<\/script>/gm, (_tag, indent: string, body: string) => `${indent}<script src="${store(body, "js", "text/javascript; charset=utf-8")}"></script>`);
  rendered = { page, assets };
  return rendered;
}
const EXAMPLE_QUERY = `# Candela: OHLCV bars and exact indicators. Press the run button.
query Example {
  instruments { symbol series { timeframe barCount firstOpenTime lastOpenTime } }
  indicators(
    symbol: "BTCUSDT", timeframe: H1,
    from: "2025-01-01T00:00:00Z", to: "2025-01-01T05:00:00Z",
    specs: [{ indicator: "rsi" }, { indicator: "macd", output: "histogram" }]
  ) {
    openTimes
    results { label historySufficient outputs { name values } }
  }
}
`;

const LATEST_EXAMPLE = `# The newest closed bar of each symbol, and the values of registered features (see the last tab).
query Latest {
  latestFeatures(symbols: ["BTCUSDT", "ETHUSDT"], timeframe: H1) {
    symbol known openTime
    values { feature reference value status }
  }
}
`;

const READINESS_EXAMPLE = `# Whether a series is fit to trade on: warmed up, caught up to now, no gaps. Name the features a strategy needs.
query Readiness {
  readiness(symbol: "BTCUSDT", timeframe: H1) {
    status barsBehind newestOpenTime lagMs
  }
}
`;

const REGISTER_EXAMPLE = `# Registering a feature needs an API key with the admin scope (npm run keys -- create --name me --scopes admin):
# put {"Authorization": "Bearer <key>"} into the Headers tab below, then run this and use "rsi_14" in the other tabs.
mutation Register {
  registerFeature(input: { name: "rsi_14", indicator: "rsi", parameters: [{ name: "period", value: 14 }] }) {
    created
    definition { reference fingerprint }
  }
}
`;
