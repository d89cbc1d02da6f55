import DataLoader from "dataloader";
import type { SeriesSummary } from "../domain/instrument";
import type { MarketDataReader } from "../features/ports";

/** Per-request GraphQL context: the request id for logs and the DataLoaders that batch this request's reads. */
export interface RequestContext {
  readonly requestId: string;
  /** Stored series per symbol: all `Instrument.series` fields of one request become one query. */
  readonly seriesBySymbol: DataLoader<string, SeriesSummary[]>;
}

/** Builds a fresh context (and fresh DataLoaders, so nothing is cached across requests). */
export function createRequestContext(requestId: string, reader: MarketDataReader): RequestContext {
  return {
    requestId,
    seriesBySymbol: new DataLoader(async (symbols: readonly string[]) => {
      const summaries = await reader.seriesSummaries(symbols);
      return symbols.map((symbol) => summaries.get(symbol) ?? []);
    }),
  };
}
