import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

/** Stands for the response's script nonce in the rendered page. */
const NONCE_SLOT = "\u0000nonce\u0000";

let pieces: string[] | undefined;

/**
 * The GraphiQL page for `endpoint`, its scripts and styles inlined from the @graphql-yoga/render-graphiql package (it
 * works in a browser without internet). The page is rendered once; each response gets its own `nonce` on the inline
 * scripts, which the Content-Security-Policy of security-headers.ts lets run.
 * @param nonce base64 nonce of this response (scriptNonce)
 */
export function graphiqlPage(endpoint: string, nonce: string): string {
  pieces ??= renderGraphiQL({
    endpoint,
    title: "Candela GraphiQL",
    defaultQuery: EXAMPLE_QUERY,
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
