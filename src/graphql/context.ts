import DataLoader from "dataloader";
import type { SeriesSummary } from "../domain/instrument";
import type { RequestAccess } from "../access/authorization";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { LiveSubscriptions } from "./live-subscriptions.service";

/**
 * Per-request GraphQL context: the request id for logs, who is calling (checked by the authChecker), and the
 * DataLoaders that batch this request's reads.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The caller's credentials and the server's anonymous-reads rule. */
  readonly access: RequestAccess;
  /** Stored series per symbol: all `Instrument.series` fields of one request become one query. */
  readonly seriesBySymbol: DataLoader<string, SeriesSummary[]>;
  /** The live event streams behind subscriptions. */
  readonly live: LiveSubscriptions;
}

/** Builds a fresh context (and fresh DataLoaders, so nothing is cached across requests). */
export function createRequestContext(requestId: string, reader: MarketDataReader, access: RequestAccess, live: LiveSubscriptions): RequestContext {
  return {
    requestId,
    access,
    live,
    seriesBySymbol: new DataLoader(async (symbols: readonly string[]) => {
      const summaries = await reader.seriesSummaries(symbols);
      return symbols.map((symbol) => summaries.get(symbol) ?? []);
    }),
  };
}
