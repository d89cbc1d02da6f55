import { randomUUID } from "node:crypto";
import { badUserInput, DomainError, ErrorCode, quoteInput } from "../domain/errors";
import { countMissingBars, type Gap } from "../domain/gaps";
import { isValidSymbol, SYMBOL_RULE } from "../domain/instrument";
import { missingGaps, subtractGaps, unfilledSlots } from "../domain/missing-bars";
import { seriesKey } from "../domain/series-key";
import { closeTimeOf, floorToGrid, isOnGrid, timeframeDurationMs, timeframeLabel, type Timeframe } from "../domain/timeframe";
import { ALWAYS_OPEN, type TradingCalendar } from "../domain/trading-calendar";
import type { ConfirmedGapStore } from "../features/ports/confirmed-gap-store";
import type { MarketDataReader } from "../features/ports/market-data-reader";
import type { LiveBar, LiveIngestService } from "./live-ingest.service";
import { BackfillStatus, type BackfillJob, type BackfillJobFilter, type BackfillProgress, type BackfillRequest, type BackfillStore } from "./ports/backfill-store";
import type { MarketDataProvider } from "./ports/market-data-provider";
import type { SeriesLeases } from "./ports/series-leases";

/** A slot the provider has no bar for is confirmed missing only once it closed this long ago (providers publish late). */
export const CONFIRM_MISSING_AFTER_MS = 5 * 60_000;

/** What the backfill service is built from. */
export interface BackfillDependencies {
  /** The configured providers, by name. */
  readonly providers: ReadonlyMap<string, MarketDataProvider>;
  readonly jobs: BackfillStore;
  readonly confirmedGaps: ConfirmedGapStore;
  readonly leases: SeriesLeases;
  readonly reader: MarketDataReader;
  /** The live pipeline's ingest path: every fetched page goes through it. */
  readonly ingest: Pick<LiveIngestService, "ingest">;
  /** Epoch ms. */
  readonly clock?: () => number;
}

/** How one run reports and stops. */
export interface BackfillRunOptions {
  /** Called after every stored page with the job's counters. */
  readonly onProgress?: (progress: BackfillProgress) => void;
  readonly signal?: AbortSignal;
  /** The instrument's calendar when it is new (default: the provider's for the symbol, else around the clock). */
  readonly calendar?: TradingCalendar;
}

/**
 * Backfill (issue 8): fetches the bars a series lacks in a range from a market-data provider and ingests them through
 * the live pipeline's ingest path (validation, idempotent upsert, events, feature recomputation), page by page. Only
 * missing trading slots are fetched (the stored series' jumps, against the instrument's calendar), minus gaps already
 * confirmed; slots the provider has no bar for either are recorded as confirmed gaps. One process at a time works on a
 * series (a lease); interrupting and running the same backfill again fetches only what is still missing, so it leaves
 * the same rows. Every run is a job whose progress is stored (`backfillJobs`).
 */
export class BackfillService {
  private readonly clock: () => number;
  private readonly running = new Set<AbortController>();

  constructor(private readonly dependencies: BackfillDependencies) {
    this.clock = dependencies.clock ?? Date.now;
  }

  /** The configured providers' names. */
  get providerNames(): string[] {
    return [...this.dependencies.providers.keys()];
  }

  /**
   * Starts a backfill in the background and resolves to its job (RUNNING) once it holds the series' lease; when another
   * process is backfilling the series already, resolves to that job instead.
   * @throws DomainError BAD_USER_INPUT (unknown provider, range), UNAVAILABLE (store)
   */
  async start(request: BackfillRequest): Promise<BackfillJob> {
    const checked = this.check(request);
    const lease = await this.dependencies.leases.tryAcquire(backfillLeaseName(checked));
    if (lease === undefined) {
      const [running] = await this.dependencies.jobs.listJobs({ symbol: checked.symbol, status: BackfillStatus.RUNNING, limit: 1 });
      if (running !== undefined && running.timeframe === checked.timeframe) return running;
      throw new DomainError(ErrorCode.UNAVAILABLE, `Another server is working on ${seriesKey(checked.symbol, checked.timeframe)} right now. Retry in a few seconds.`, { reason: "series busy" });
    }
    const controller = new AbortController();
    const job = await this.openJob(checked).catch(async (error: unknown) => {
      await lease.release();
      throw error;
    });
    this.running.add(controller);
    void this.fill(job, checked, { signal: controller.signal })
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(controller);
        void lease.release();
      });
    return job;
  }

  /**
   * Runs a backfill to its end (the CLI, catch-up and gap repair), waiting for the series' lease when another process
   * holds it.
   * @returns the ended job: SUCCEEDED, FAILED (with its error) or INTERRUPTED (`signal` aborted)
   * @throws DomainError BAD_USER_INPUT (unknown provider, range), UNAVAILABLE (store)
   */
  async run(request: BackfillRequest, options: BackfillRunOptions = {}): Promise<BackfillJob> {
    const checked = this.check(request);
    const lease = await this.dependencies.leases.acquire(backfillLeaseName(checked), options.signal);
    try {
      const job = await this.openJob(checked);
      return await this.fill(job, checked, options);
    } finally {
      await lease.release();
    }
  }

  /** The job with `id`. @throws DomainError NOT_FOUND */
  async job(id: string): Promise<BackfillJob> {
    const job = await this.dependencies.jobs.findJob(id);
    if (job === undefined) throw new DomainError(ErrorCode.NOT_FOUND, `No backfill job has id ${quoteInput(id)}. List them with backfillJobs.`);
    return job;
  }

  /** Jobs newest first. */
  jobs(filter: BackfillJobFilter): Promise<BackfillJob[]> {
    return this.dependencies.jobs.listJobs(filter);
  }

  /** Stops the backfills started in the background; their jobs end INTERRUPTED. */
  close(): void {
    for (const controller of this.running) controller.abort();
  }

  /** Validates a request: known provider, range on the grid and ordered; `to` is cut to the newest bar closed by now. */
  private check(request: BackfillRequest): BackfillRequest {
    const { symbol, timeframe, provider, from } = request;
    if (!isValidSymbol(symbol)) throw badUserInput(`Symbol ${quoteInput(symbol)} is not valid: ${SYMBOL_RULE}.`);
    if (!this.dependencies.providers.has(provider)) {
      const known = this.providerNames;
      throw badUserInput(`Unknown provider ${quoteInput(provider)}. ${known.length === 0 ? "No provider is configured (see the README, Providers)." : `Use one of: ${known.join(", ")}.`}`);
    }
    const label = timeframeLabel(timeframe);
    if (!isOnGrid(from, timeframe) || !isOnGrid(request.to, timeframe)) {
      throw badUserInput(`from and to must be open times on the ${label} grid (e.g. ${new Date(floorToGrid(from, timeframe)).toISOString()}).`);
    }
    const newestClosed = floorToGrid(this.clock(), timeframe) - timeframeDurationMs(timeframe);
    const to = Math.min(request.to, newestClosed);
    if (from > to) throw badUserInput(`from (${new Date(from).toISOString()}) must not be after to (${new Date(to).toISOString()}, the newest ${label} bar closed by now at most).`);
    return { symbol, timeframe, provider, from, to };
  }

  /** Records the job, after marking the series' stale RUNNING jobs INTERRUPTED (the caller holds the lease). */
  private async openJob(request: BackfillRequest): Promise<BackfillJob> {
    await this.dependencies.jobs.interruptRunningJobs(request.symbol, request.timeframe);
    return this.dependencies.jobs.createJob(randomUUID(), request);
  }

  /** Fetches and ingests the missing bars of the job's range; ends the job and resolves to it. */
  private async fill(job: BackfillJob, request: BackfillRequest, options: BackfillRunOptions): Promise<BackfillJob> {
    const { jobs } = this.dependencies;
    const provider = this.dependencies.providers.get(request.provider)!;
    const progress: { -readonly [K in keyof BackfillProgress]: BackfillProgress[K] } = { missingBars: 0, barsFetched: 0, barsStored: 0, confirmedMissingBars: 0, reachedOpenTime: null };
    try {
      const calendar = await this.calendarOf(request, provider, options.calendar);
      const missing = await this.missing(request, calendar);
      progress.missingBars = countMissingBars(missing);
      await jobs.updateJob(job.id, progress);
      options.onProgress?.({ ...progress });
      for (const gap of missing) {
        const fetched: number[] = [];
        for await (const page of provider.history({ symbol: request.symbol, timeframe: request.timeframe, from: gap.firstMissingOpenTime, to: gap.lastMissingOpenTime }, options.signal)) {
          options.signal?.throwIfAborted();
          const bars: LiveBar[] = page.bars.map((bar) => ({ ...bar, closed: true }));
          const result = await this.dependencies.ingest.ingest(request.symbol, request.timeframe, bars).catch((error: unknown) => {
            throw error instanceof DomainError && error.code === ErrorCode.BAD_USER_INPUT ? providerFault(provider.name, error) : error;
          });
          for (const bar of page.bars) fetched.push(bar.openTime);
          progress.barsFetched += page.bars.length;
          progress.barsStored += result.inserted + result.corrected + result.late;
          progress.reachedOpenTime = page.bars[page.bars.length - 1].openTime;
          await jobs.updateJob(job.id, progress);
          options.onProgress?.({ ...progress });
        }
        const confirmable = unfilledSlots(gap, fetched, timeframeDurationMs(request.timeframe)).filter(
          (hole) => closeTimeOf(hole.lastMissingOpenTime, request.timeframe) <= this.clock() - CONFIRM_MISSING_AFTER_MS,
        );
        await this.dependencies.confirmedGaps.confirm(request.symbol, request.timeframe, confirmable, provider.name);
        progress.confirmedMissingBars += countMissingBars(confirmable);
      }
      await jobs.updateJob(job.id, progress);
      options.onProgress?.({ ...progress });
      return await jobs.finishJob(job.id, BackfillStatus.SUCCEEDED, null);
    } catch (error) {
      const interrupted = options.signal?.aborted === true;
      const message = error instanceof DomainError ? error.message : "Internal error; see the server's log.";
      await jobs.updateJob(job.id, progress).catch(() => undefined);
      const ended = await jobs.finishJob(job.id, interrupted ? BackfillStatus.INTERRUPTED : BackfillStatus.FAILED, interrupted ? null : message).catch(() => undefined);
      if (!(error instanceof DomainError) && !interrupted) throw error;
      return ended ?? { ...job, ...progress, status: interrupted ? BackfillStatus.INTERRUPTED : BackfillStatus.FAILED, error: interrupted ? null : message };
    }
  }

  /** The instrument's calendar, creating the instrument with the given, the provider's or an around-the-clock one when new. */
  private async calendarOf(request: BackfillRequest, provider: MarketDataProvider, calendar: TradingCalendar | undefined): Promise<TradingCalendar> {
    const known = (await this.dependencies.reader.findInstruments([request.symbol])).get(request.symbol);
    if (known !== undefined) return known.calendar;
    return this.dependencies.jobs.ensureInstrument(request.symbol, calendar ?? provider.calendarOf(request.symbol) ?? ALWAYS_OPEN);
  }

  /** The range's missing trading slots, without confirmed gaps. */
  private async missing(request: BackfillRequest, calendar: TradingCalendar): Promise<Gap[]> {
    const { symbol, timeframe, from, to } = request;
    const span = await this.dependencies.jobs.storedSpan(symbol, timeframe, from, to);
    const confirmed = await this.dependencies.confirmedGaps.confirmedGaps(symbol, timeframe, from, to);
    return subtractGaps(missingGaps(span, from, to, timeframe, calendar), confirmed, timeframeDurationMs(timeframe));
  }
}

/** The lease name of a series' catch-up work: "backfill/BTCUSDT/1m". */
export function backfillLeaseName(request: Pick<BackfillRequest, "symbol" | "timeframe">): string {
  return `backfill/${seriesKey(request.symbol, request.timeframe)}`;
}

/** A page the provider sent that the ingest path refused: the provider's fault, not the user's. */
function providerFault(provider: string, error: DomainError): DomainError {
  return new DomainError(ErrorCode.UNAVAILABLE, `The market-data provider ${provider} sent an invalid bar (${error.message}).`, { dependency: provider, reason: "invalid bar" });
}
