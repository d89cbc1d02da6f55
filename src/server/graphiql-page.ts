import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

/** Stands for the response's script nonce in the rendered page. */
const NONCE_SLOT = "\u0000nonce\u0000";

let pieces: string[] | undefined;

/**
 * The GraphiQL page for `endpoint`, its scripts and styles inlined from the @graphql-yoga/render-graphiql package (it
 * works in a browser without internet), opening on example tabs. The page is rendered once; each response gets its own `nonce` on the inline
 * scripts, which the Content-Security-Policy of security-headers.ts lets run.
 * @param nonce base64 nonce of this response (scriptNonce)
 */
export function graphiqlPage(endpoint: string, nonce: string): string {
  pieces ??= renderGraphiQL({
    endpoint,
    title: "Candela GraphiQL",
    defaultQuery: EXAMPLE_QUERY,
    // Shown on a first visit (GraphiQL keeps the user's own tabs afterwards): history, latest values, readiness,
    // registering a feature.
    defaultTabs: [EXAMPLE_QUERY, LATEST_EXAMPLE, READINESS_EXAMPLE, REGISTER_EXAMPLE].map((query) => ({ query })),
  })
    // Only the page's own tags, each on a line of its own: the inlined bundle's code contains "<script>" in strings.
    .replace(/^(\s*)<script>/gm, `$1<script nonce="${NONCE_SLOT}">`)
    .split(NONCE_SLOT);
  return pieces.join(nonce);
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
