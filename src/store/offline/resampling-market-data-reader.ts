import { barAt, sliceBarColumns } from "../../domain/bar";
import type { Gap } from "../../domain/gaps";
import type { Instrument, SeriesSummary } from "../../domain/instrument";
import { resampleBars, type ResampledBars } from "../../domain/resampling";
import { floorToGrid, timeframeDurationMs, type Timeframe } from "../../domain/timeframe";
import type { BarPageRequest, ColumnsWithWarmup, MarketDataReader, SeriesBar } from "../../features/ports/market-data-reader";
import type { OpenTimeRange } from "../../domain/open-time-range";
import { EARLIEST_OPEN_TIME } from "../../features/query-limits";

/**
 * A MarketDataReader that serves any timeframe: a stored series is read as it is; otherwise bars are
 * aggregated on the UTC grid from the longest stored timeframe that divides the requested one (1m → 5m,
 * 15m, 30m, 1h, 4h, 1d). Aggregated bars missing source bars are flagged, never filled; the unfinished
 * trailing bar is left out unless a page request asks for it.
 */
export class ResamplingMarketDataReader implements MarketDataReader {
  constructor(
    private readonly stored: MarketDataReader,
    private readonly clock: () => number = Date.now,
  ) {}

  listInstruments(): Promise<Instrument[]> {
    return this.stored.listInstruments();
  }

  findInstruments(symbols: readonly string[]): Promise<Map<string, Instrument>> {
    return this.stored.findInstruments(symbols);
  }

  seriesSummaries(symbols: readonly string[]): Promise<Map<string, SeriesSummary[]>> {
    return this.stored.seriesSummaries(symbols);
  }

  /** The gaps of a stored series (`instruments` lists stored series only). */
  seriesGaps(symbol: string, timeframe: Timeframe): Promise<Gap[]> {
    return this.stored.seriesGaps(symbol, timeframe);
  }

  async lastClosedOpenTimes(symbols: readonly string[], timeframe: Timeframe, now: number): Promise<Map<string, number>> {
    // One query answers every symbol stored at this timeframe; only the others are aggregated.
    const result = await this.stored.lastClosedOpenTimes(symbols, timeframe, now);
    for (const symbol of symbols.filter((candidate) => !result.has(candidate))) {
      const plan = await this.plan(symbol, timeframe);
      if (plan === undefined) continue;
      const last = (await this.stored.lastClosedOpenTimes([symbol], plan.source, now)).get(symbol);
      if (last === undefined) continue;
      // The newest bucket that has ended by the end of the newest source bar (and by now).
      result.set(symbol, floorToGrid(Math.min(last + timeframeDurationMs(plan.source), now), timeframe) - timeframeDurationMs(timeframe));
    }
    return result;
  }

  async seriesRevision(symbol: string, timeframe: Timeframe): Promise<number> {
    const plan = await this.plan(symbol, timeframe);
    return this.stored.seriesRevision(symbol, plan === undefined ? timeframe : plan.source);
  }

  async closedBarProfile(symbol: string, timeframe: Timeframe, now: number, recentBars: number): Promise<{ barCount: number; recentOpenTimes: Float64Array }> {
    const plan = await this.plan(symbol, timeframe);
    if (plan === undefined) return this.stored.closedBarProfile(symbol, timeframe, now, recentBars);
    // Aggregated: every complete bucket closed by now, counted from the aggregation itself.
    const { columns } = await this.readColumnsWithWarmup(symbol, timeframe, { from: EARLIEST_OPEN_TIME, to: now - timeframeDurationMs(timeframe) }, 0);
    const start = Number.isFinite(recentBars) ? Math.max(0, columns.length - recentBars) : 0;
    return { barCount: columns.length, recentOpenTimes: columns.openTime.slice(start) };
  }

  storedTimeframes(symbol: string): Promise<Timeframe[]> {
    return this.stored.storedTimeframes(symbol);
  }

  async readBars(symbol: string, timeframe: Timeframe, range: OpenTimeRange, request: BarPageRequest): Promise<SeriesBar[]> {
    const plan = await this.plan(symbol, timeframe);
    if (plan === undefined) return this.stored.readBars(symbol, timeframe, range, request);
    const duration = timeframeDurationMs(timeframe);
    const start = Math.max(range.from, (request.afterOpenTime ?? Number.NEGATIVE_INFINITY) + 1);
    const bars: SeriesBar[] = [];
    let chunkStart = floorToGrid(start, timeframe);
    while (bars.length < request.limit && chunkStart <= range.to) {
      // Jump over empty stretches (an open range's distant start, long gaps) to the next source bar.
      const [next] = await this.stored.readBars(symbol, plan.source, { from: chunkStart, to: range.to }, { limit: 1 });
      if (next === undefined) break;
      chunkStart = Math.max(chunkStart, floorToGrid(next.openTime, timeframe));
      const chunkEnd = Math.min(range.to, chunkStart + (request.limit - bars.length) * duration - 1);
      const { columns, complete } = (await this.resample(plan, symbol, timeframe, { from: chunkStart, to: chunkEnd }, 0, request.includeIncomplete ?? false)).bars;
      for (let row = 0; row < columns.length && bars.length < request.limit; row++) {
        // Buckets before the chunk are its warm-up; those before `start` were already served.
        if (columns.openTime[row] < Math.max(start, chunkStart)) continue;
        bars.push({ ...barAt(columns, row), complete: complete[row] === 1 });
      }
      chunkStart = floorToGrid(chunkEnd, timeframe) + duration;
    }
    return bars;
  }

  async readColumnsWithWarmup(symbol: string, timeframe: Timeframe, range: OpenTimeRange, warmupBars: number, signal?: AbortSignal): Promise<ColumnsWithWarmup> {
    const plan = await this.plan(symbol, timeframe);
    if (plan === undefined) return this.stored.readColumnsWithWarmup(symbol, timeframe, range, warmupBars, signal);
    const { bars, warmupTruncated } = await this.resample(plan, symbol, timeframe, range, warmupBars, false, signal);
    signal?.throwIfAborted();
    // Buckets before `from` are warm-up; keep the newest `warmupBars` of them. When the source read stopped
    // at its row limit, the oldest bucket may lack its first source bars: never keep it.
    let firstInRange = 0;
    while (firstInRange < bars.columns.length && bars.columns.openTime[firstInRange] < range.from) firstInRange++;
    const oldestUsable = warmupTruncated && firstInRange > 0 ? 1 : 0;
    const start = Number.isFinite(warmupBars) ? Math.max(oldestUsable, firstInRange - warmupBars) : oldestUsable;
    const columns = sliceBarColumns(bars.columns, start);
    const incompleteOpenTimes: number[] = [];
    for (let row = firstInRange; row < bars.columns.length; row++) {
      if (bars.complete[row] === 0) incompleteOpenTimes.push(bars.columns.openTime[row]);
    }
    return { columns, warmupBars: firstInRange - start, incompleteOpenTimes };
  }

  /** The stored timeframe to aggregate from, or undefined when `timeframe` is stored (or nothing divides it). */
  private async plan(symbol: string, timeframe: Timeframe): Promise<{ source: Timeframe; instrument: Instrument } | undefined> {
    const stored = await this.stored.storedTimeframes(symbol);
    if (stored.includes(timeframe)) return undefined;
    const target = timeframeDurationMs(timeframe);
    const source = stored.filter((candidate) => timeframeDurationMs(candidate) < target && target % timeframeDurationMs(candidate) === 0).pop();
    if (source === undefined) return undefined;
    const instrument = (await this.stored.findInstruments([symbol])).get(symbol);
    return instrument === undefined ? undefined : { source, instrument };
  }

  /** Aggregates the source bars of the buckets covering `range`, plus `warmupBars` buckets' worth before it. */
  private async resample(
    plan: { source: Timeframe; instrument: Instrument },
    symbol: string,
    timeframe: Timeframe,
    range: OpenTimeRange,
    warmupBars: number,
    includeIncomplete: boolean,
    signal?: AbortSignal,
  ): Promise<{ bars: ResampledBars; warmupTruncated: boolean }> {
    const ratio = timeframeDurationMs(timeframe) / timeframeDurationMs(plan.source);
    const sourceRange = {
      from: floorToGrid(range.from, timeframe),
      to: floorToGrid(range.to, timeframe) + timeframeDurationMs(timeframe) - timeframeDurationMs(plan.source),
    };
    // One bucket more than asked: the oldest may be cut by the row limit (see readColumnsWithWarmup).
    const sourceWarmup = Number.isFinite(warmupBars) ? (warmupBars + 1) * ratio : Number.POSITIVE_INFINITY;
    const source = await this.stored.readColumnsWithWarmup(symbol, plan.source, sourceRange, sourceWarmup, signal);
    const bars = resampleBars(source.columns, plan.source, timeframe, plan.instrument.calendar, { includeIncomplete, now: this.clock() });
    return { bars, warmupTruncated: source.warmupBars === sourceWarmup };
  }
}
