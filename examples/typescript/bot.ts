/**
 * A small strategy bot on Candela's typed client (graphql-codegen's client preset over the committed schema.graphql,
 * regenerated with `npm run codegen`). It pulls the recent history of a feature, reads the latest values, checks that
 * the series is fit to trade on, then follows the live values of closed bars over a subscription, printing one JSON
 * line per step.
 *
 * Run against a server (compiled with the project: `npx tsc -p examples/typescript`):
 *   CANDELA_URL=http://127.0.0.1:4000/graphql SYMBOL=BTCUSDT node examples/typescript/build/bot.js
 * Environment: CANDELA_URL, CANDELA_API_KEY (optional: anonymous reads on a developer machine), SYMBOL, FEATURE
 * (default "rsi_14"), HISTORY_HOURS (default 48), EVENTS (live updates to wait for, default 1; 0 skips the subscription).
 */
import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import type { ResultOf, TypedDocumentNode, VariablesOf } from "@graphql-typed-document-node/core";
import { graphql } from "./generated/gql";

const HISTORY = graphql(`
  query BotHistory($symbol: String!, $from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!) {
    features(symbol: $symbol, timeframe: H1, from: $from, to: $to, features: $features) {
      openTimes
      features { feature { name reference } values }
    }
  }
`);

const LATEST = graphql(`
  query BotLatest($symbol: String!, $symbols: [String!]!, $features: [String!]!) {
    latestFeatures(symbols: $symbols, timeframe: H1, features: $features) {
      symbol openTime known
      values { feature reference value status }
    }
    readiness(symbol: $symbol, timeframe: H1, features: $features) { status barsBehind }
  }
`);

const UPDATES = graphql(`
  subscription BotUpdates($symbols: [String!]!, $features: [String!]!) {
    featureUpdates(symbols: $symbols, timeframe: H1, features: $features) {
      symbol openTime final revision
      values { feature value }
    }
  }
`);

const url = process.env.CANDELA_URL ?? "http://127.0.0.1:4000/graphql";
const apiKey = process.env.CANDELA_API_KEY;
const symbol = process.env.SYMBOL ?? "BTCUSDT";
const feature = process.env.FEATURE ?? "rsi_14";
const events = Number(process.env.EVENTS ?? "1");

/** Sends one typed query; its result has the document's shape, or the request's errors are thrown. */
async function request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors !== undefined) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("; "));
  return body.data as Result;
}

/** Waits for `count` live updates of the features and returns them. */
async function follow(variables: VariablesOf<typeof UPDATES>, count: number): Promise<ResultOf<typeof UPDATES>["featureUpdates"][]> {
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` } });
  const updates: ResultOf<typeof UPDATES>["featureUpdates"][] = [];
  try {
    for await (const result of client.iterate<ResultOf<typeof UPDATES>>({ query: print(UPDATES), variables })) {
      if (result.errors !== undefined) throw new Error(result.errors.map((error) => error.message).join("; "));
      const update = result.data!.featureUpdates;
      console.log(JSON.stringify({ step: "update", ...update }));
      // The first event is the current values; the ones after it are new closed bars.
      if (updates.push(update) > count) break;
    }
  } finally {
    await client.dispose();
  }
  return updates;
}

async function main(): Promise<void> {
  const latest = await request(LATEST, { symbol, symbols: [symbol], features: [feature] });
  const [series] = latest.latestFeatures;
  console.log(JSON.stringify({ step: "latest", symbol: series.symbol, openTime: series.openTime, values: series.values, readiness: latest.readiness.status }));
  if (series.openTime === null || series.openTime === undefined) throw new Error(`${symbol} has no values yet`);
  const to = new Date(series.openTime);
  const from = new Date(to.getTime() - Number(process.env.HISTORY_HOURS ?? "48") * 3_600_000);
  const history = await request(HISTORY, { symbol, from: from.toISOString(), to: to.toISOString(), features: [feature] });
  const values = history.features.features[0].values;
  console.log(JSON.stringify({ step: "history", bars: history.features.openTimes.length, last: values[values.length - 1] }));
  if (events > 0) await follow({ symbols: [symbol], features: [feature] }, events);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
