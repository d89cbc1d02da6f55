import { Presets, SingleBar } from "cli-progress";
import { Command } from "commander";
import { parseInstant } from "../domain/instant";
import { parseTimeframe, timeframeDurationMs, timeframeLabel } from "../domain/timeframe";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { FeatureRetrievalService } from "../features/feature-retrieval.service";
import { EXPORT_CHUNK_BARS, TrainingExportService } from "../features/training-export.service";
import { createStoreAdapters } from "../store/store-adapters";
import { withDatabase } from "./cli-runtime";

/** What `candela materialize` takes. */
interface MaterializeOptions {
  readonly features: string;
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly symbols?: string;
}

/**
 * `candela materialize --features rsi_14,macd_hist --timeframe 1h --from 2024-01-01 --to 2024-12-31 [--symbols ...]`
 * (`npm run materialize -- ...`, like `feast materialize`): precomputes the features into the offline store for every
 * symbol storing bars of the timeframe (or the ones given), 50,000 bars at a time, with a progress bar. Values already
 * stored are read, not computed again; the result equals what queries compute.
 */
export function materializeCommand(): Command {
  return new Command("materialize")
    .description("precompute features into the offline store over a range, for every symbol or the ones given")
    .requiredOption("--features <references>", "feature references, comma-separated, e.g. rsi_14,macd_hist@2")
    .requiredOption("--timeframe <timeframe>", "bar timeframe: 1m, 5m, 15m, 30m, 1h, 4h, 1d")
    .requiredOption("--from <time>", "first open time, ISO-8601 or a date")
    .requiredOption("--to <time>", "last open time, ISO-8601 or a date")
    .option("--symbols <symbols>", "tickers, comma-separated (default: every symbol storing bars of the timeframe)")
    .action(async (options: MaterializeOptions) => {
      const timeframe = parseTimeframe(options.timeframe);
      const from = parseInstant("--from", options.from);
      const to = parseInstant("--to", options.to);
      const features = options.features.split(",").map((feature) => feature.trim()).filter((feature) => feature.length > 0);
      await withDatabase(async (database) => {
        const stores = createStoreAdapters(database);
        try {
          const registry = new FeatureRegistryService(stores.featureDefinitions);
          const retrieval = new FeatureRetrievalService(registry, stores.reader, stores.offlineStore);
          const symbols = options.symbols?.split(",").map((symbol) => symbol.trim().toUpperCase()) ?? (await storingSymbols(stores.reader, timeframe));
          const exports = new TrainingExportService(retrieval, stores.reader, registry);
          const plan = await exports.prepare({ symbols, timeframe, from, to, features });
          const chunksPerSymbol = Math.ceil((to - from + 1) / (EXPORT_CHUNK_BARS * timeframeDurationMs(timeframe)));
          const progress = process.stderr.isTTY ? new SingleBar({ format: "materializing [{bar}] {value}/{total} chunks {symbol}", clearOnComplete: true }, Presets.shades_classic) : undefined;
          progress?.start(symbols.length * chunksPerSymbol, 0, { symbol: "" });
          const bars = new Map<string, number>();
          for await (const { symbol, frame } of exports.chunks(plan)) {
            bars.set(symbol, (bars.get(symbol) ?? 0) + frame.bars.length);
            progress?.increment(1, { symbol });
          }
          progress?.stop();
          await stores.drain();
          const references = plan.definitions.map((definition) => `${definition.name}@${definition.version}`).join(", ");
          console.log([`Materialized ${references} (${timeframeLabel(timeframe)}):`, ...symbols.map((symbol) => `  ${symbol.padEnd(12)} ${bars.get(symbol) ?? 0} bars`)].join("\n"));
        } finally {
          await stores.close();
        }
      });
    });
}

/** The symbols storing bars of `timeframe`. */
async function storingSymbols(reader: ReturnType<typeof createStoreAdapters>["reader"], timeframe: ReturnType<typeof parseTimeframe>): Promise<string[]> {
  const instruments = await reader.listInstruments();
  const summaries = await reader.seriesSummaries(instruments.map((instrument) => instrument.symbol));
  return instruments.map((instrument) => instrument.symbol).filter((symbol) => (summaries.get(symbol) ?? []).some((summary) => summary.timeframe === timeframe));
}
