import { notFound } from "../domain/errors";
import type { Instrument } from "../domain/instrument";
import type { MarketDataReader } from "./ports/market-data-reader";

/**
 * Returns the stored instrument `symbol`.
 * @throws DomainError NOT_FOUND naming the symbol and how to list the known ones
 */
export async function requireInstrument(reader: MarketDataReader, symbol: string): Promise<Instrument> {
  const instrument = (await reader.findInstruments([symbol])).get(symbol);
  if (instrument === undefined) {
    throw notFound(`Unknown symbol "${symbol}". The \`instruments\` query lists the stored symbols.`, { symbol });
  }
  return instrument;
}
