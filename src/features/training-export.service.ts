import { badUserInput, notFound } from "../domain/errors";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { floorToGrid, timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { FeatureDefinition } from "./feature-definition";
import type { FeatureFrame } from "./feature-frame";
import type { FeatureFrameSource } from "./ports/feature-frame-source";
import type { FeatureResolver } from "./ports/feature-resolver";
import type { MarketDataReader } from "./ports/market-data-reader";
import { MAX_FEATURES_PER_REQUEST } from "./query-limits";

/** Grid slots one chunk of an export spans: what is held in memory at once, per symbol. */
export const EXPORT_CHUNK_BARS = 50_000;
/** Most grid slots one export may span per symbol (ten years of 1m bars). */
export const MAX_EXPORT_RANGE_BARS = 5_300_000;
/** Most symbols one export may name. */
export const MAX_EXPORT_SYMBOLS = 100;

/** What a training export asks for. Times are epoch ms (UTC), range ends inclusive. */
export interface ExportRequest {
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly from: number;
  readonly to: number;
  /** Feature references ("rsi_14", "rsi_14@2"); may be empty (bars only). */
  readonly features: readonly string[];
  /** Point in time: only bars closed at or before it (default: now). */
  readonly asOf?: number;
}

/** An export checked and resolved before anything is sent: its feature definitions and its point in time. */
export interface ExportPlan {
  readonly request: ExportRequest;
  /** The definitions the references resolved to, in request order. */
  readonly definitions: readonly FeatureDefinition[];
  /** Epoch ms: only bars closed at or before it are exported. */
  readonly asOf: number;
}

/** One chunk of an export: a symbol's bars and feature values over consecutive open times, oldest first. */
export interface ExportChunk {
  readonly symbol: string;
  readonly frame: FeatureFrame;
}

/**
 * Training exports (issue 9): bars and features of several symbols over a long range, produced chunk by chunk (at
 * most EXPORT_CHUNK_BARS grid slots each), symbol after symbol, so memory does not grow with the range. Every chunk is
 * a `series` answer (FeatureFrameSource: offline store or computed with full warm-up, point-in-time at `asOf`), so an
 * export equals `series` over the same range, value for value.
 */
export class TrainingExportService {
  constructor(
    private readonly frames: FeatureFrameSource,
    private readonly reader: MarketDataReader,
    private readonly registry: FeatureResolver,
    private readonly clock: () => number = Date.now,
    /** Grid slots per chunk (tests make it small). */
    private readonly chunkBars: number = EXPORT_CHUNK_BARS,
  ) {}

  /**
   * Checks a request and resolves its features before anything is sent, so that a mistake is answered with an error
   * rather than a cut stream.
   * @throws DomainError BAD_USER_INPUT (symbols, range, features) naming the limit or the rule, NOT_FOUND (symbol,
   *   feature), UNAVAILABLE (store)
   */
  async prepare(request: ExportRequest): Promise<ExportPlan> {
    this.check(request);
    const definitions = await this.registry.resolve(request.features);
    const known = await this.reader.findInstruments(request.symbols);
    const unknown = request.symbols.find((symbol) => !known.has(symbol));
    if (unknown !== undefined) throw notFound(`Unknown symbol "${unknown}". The \`instruments\` query lists the stored symbols.`, { symbol: unknown });
    const now = this.clock();
    return { request, definitions, asOf: Math.min(request.asOf ?? now, now) };
  }

  private check(request: ExportRequest): void {
    const { symbols, timeframe, from, to } = request;
    if (symbols.length === 0 || symbols.length > MAX_EXPORT_SYMBOLS) throw badUserInput(`Name 1 to ${MAX_EXPORT_SYMBOLS} symbols (got ${symbols.length}).`);
    const invalid = symbols.find((symbol) => !isValidSymbol(symbol));
    if (invalid !== undefined) throw badUserInput(`Symbol ${JSON.stringify(invalid.slice(0, 40))} is not valid: ${SYMBOL_RULE}.`);
    if (new Set(symbols).size !== symbols.length) throw badUserInput("Name each symbol once.");
    if (request.features.length > MAX_FEATURES_PER_REQUEST) throw badUserInput(`Name at most ${MAX_FEATURES_PER_REQUEST} features.`);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw badUserInput("from must be at or before to.");
    const slots = Math.floor((to - from) / timeframeDurationMs(timeframe)) + 1;
    if (slots > MAX_EXPORT_RANGE_BARS) throw badUserInput(`The range spans ${slots} ${timeframeLabel(timeframe)} bars; an export may span at most ${MAX_EXPORT_RANGE_BARS} per symbol. Split it.`);
  }

  /**
   * The export's chunks, symbol after symbol (in request order), each symbol's oldest first; chunks without bars are
   * skipped. The point in time is the plan's, so every chunk sees the same bars.
   * @throws DomainError UNAVAILABLE (store); the signal's reason when `signal` aborts
   */
  async *chunks(plan: ExportPlan, signal?: AbortSignal): AsyncIterable<ExportChunk> {
    const { request, asOf } = plan;
    const duration = timeframeDurationMs(request.timeframe);
    const first = floorToGrid(request.from, request.timeframe) < request.from ? floorToGrid(request.from, request.timeframe) + duration : request.from;
    for (const symbol of request.symbols) {
      for (let from = first; from <= request.to; from += this.chunkBars * duration) {
        signal?.throwIfAborted();
        const to = Math.min(request.to, from + (this.chunkBars - 1) * duration);
        const frame = await this.frames.retrieve({ symbol, timeframe: request.timeframe, from, to, features: request.features, asOf, maxBars: this.chunkBars }, signal);
        if (frame.bars.length > 0) yield { symbol, frame };
      }
    }
  }
}
