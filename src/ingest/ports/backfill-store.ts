import type { Timeframe } from "../../domain/timeframe";
import type { TradingCalendar } from "../../domain/trading-calendar";
import type { OpenTimeJump } from "./bar-import-store";

/** Where a backfill job stands. Values are the wire strings. */
export enum BackfillStatus {
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  /** Its process stopped (shutdown, crash) before it finished; running the same backfill again resumes it. */
  INTERRUPTED = "INTERRUPTED",
}

/** What a backfill is asked for: a series, a provider and a range of open times (epoch ms, inclusive). */
export interface BackfillRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly provider: string;
  readonly from: number;
  readonly to: number;
}

/** A backfill's counters as it runs. */
export interface BackfillProgress {
  /** Trading slots of the range without a stored bar when the job started (confirmed gaps left out). */
  readonly missingBars: number;
  readonly barsFetched: number;
  /** Bars stored or corrected (duplicates left out). */
  readonly barsStored: number;
  /** Missing slots the provider has no bar for either (recorded as confirmed gaps). */
  readonly confirmedMissingBars: number;
  /** Open time of the newest bar fetched so far, epoch ms; null before the first. */
  readonly reachedOpenTime: number | null;
}

/** One run of a backfill. */
export interface BackfillJob extends BackfillRequest, BackfillProgress {
  /** A UUID. */
  readonly id: string;
  readonly status: BackfillStatus;
  /** Why it failed, for its user; null unless FAILED. */
  readonly error: string | null;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/** Which jobs `listJobs` returns, newest first. */
export interface BackfillJobFilter {
  readonly symbol?: string;
  readonly status?: BackfillStatus;
  readonly limit: number;
}

/**
 * Where backfill jobs and the stored series' shape are kept (adapter: store/offline/BackfillRepository, PostgreSQL).
 * Every method rejects with DomainError UNAVAILABLE when the store cannot be reached.
 */
export interface BackfillStore {
  /** Records a new RUNNING job. */
  createJob(id: string, request: BackfillRequest): Promise<BackfillJob>;
  /** Saves a running job's counters. */
  updateJob(id: string, progress: BackfillProgress): Promise<void>;
  /** Ends a job with `status` (and the error of a FAILED one); resolves to the ended job. */
  finishJob(id: string, status: BackfillStatus, error: string | null): Promise<BackfillJob>;
  /** Marks the series' RUNNING jobs INTERRUPTED (the caller holds the series' lease, so none of them is running). */
  interruptRunningJobs(symbol: string, timeframe: Timeframe): Promise<number>;
  findJob(id: string): Promise<BackfillJob | undefined>;
  listJobs(filter: BackfillJobFilter): Promise<BackfillJob[]>;
  /**
   * The stored bars of the series within open times [from, to] (inclusive): the first and last open times (null when
   * none) and where consecutive ones skip grid slots.
   */
  storedSpan(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<{ first: number | null; last: number | null; jumps: OpenTimeJump[] }>;
  /** Creates the instrument with `calendar` when it does not exist; resolves to the calendar it has. */
  ensureInstrument(symbol: string, calendar: TradingCalendar): Promise<TradingCalendar>;
}
