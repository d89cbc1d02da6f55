import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

let page: string | undefined;

/**
 * The GraphiQL page for `endpoint`, rendered once. Its scripts and styles are inlined from the
 * @graphql-yoga/render-graphiql package, so it works in a browser without internet.
 */
export function graphiqlPage(endpoint: string): string {
  page ??= renderGraphiQL({
    endpoint,
    title: "Candela GraphiQL",
    defaultQuery: EXAMPLE_QUERY,
  });
  return page;
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
