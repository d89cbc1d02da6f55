import { postGraphQL } from "./graphql-client";
import type { SubscriptionRecorder } from "./subscription-client";

/** The features the live end-to-end tests follow, and their `registerFeature` inputs. */
export const LIVE_FEATURES = ["rsi_14", "ema_20", "macd_hist"];
export const LIVE_FEATURE_REGISTRATIONS = [
  `{ name: "rsi_14", indicator: "rsi" }`,
  `{ name: "ema_20", indicator: "ema", parameters: [{ name: "period", value: 20 }] }`,
  `{ name: "macd_hist", indicator: "macd", output: "histogram" }`,
];

/** Feature values by bar open time (ISO-8601), one value per feature in request order; null where undefined. */
export type ValuesByOpenTime = Map<string, (number | null)[]>;

/** A featureUpdates event as the live tests select it. */
export interface FeatureUpdateEvent {
  readonly featureUpdates: { openTime: string; final: boolean; revision: number; values: { feature: string; value: number | null }[] };
}

/** What one historical `features` query at `graphqlUrl` returns for BTCUSDT 1h from `from` to `to` (ISO), by open time. */
export async function historicalValues(graphqlUrl: string, from: string, to: string, features: readonly string[]): Promise<ValuesByOpenTime> {
  const response = await postGraphQL<any>(
    graphqlUrl,
    `query($from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!) {
       features(symbol: "BTCUSDT", timeframe: H1, from: $from, to: $to, features: $features) { openTimes features { values } } }`,
    { from, to, features },
  );
  if (response.errors !== undefined) throw new Error(JSON.stringify(response.errors));
  const frame = response.data!.features;
  return new Map(frame.openTimes.map((openTime: string, row: number) => [openTime, frame.features.map((column: any) => column.values[row])]));
}

/** The newest final values a subscription received per open time (a correction's revision supersedes the earlier one). */
export function streamedValues(recorder: SubscriptionRecorder<FeatureUpdateEvent>): ValuesByOpenTime {
  const values: ValuesByOpenTime = new Map();
  for (const { featureUpdates: update } of recorder.received) if (update.final) values.set(update.openTime, update.values.map((value) => value.value));
  return values;
}
