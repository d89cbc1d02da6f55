import CircuitBreaker from "opossum";
import { isCallerError } from "./breaker-errors";

/** A breaker's state, as health checks and metrics report it. */
export type CircuitState = "closed" | "open" | "halfOpen";

/** Every state, in the order metrics list them. */
export const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "open", "halfOpen"];

/** A state change, for logging. */
export interface CircuitStateChange {
  readonly breaker: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
}

/** Cumulative outcomes of a breaker's calls since it was created. */
export interface BreakerCounts {
  /** Calls made through the breaker (including rejected ones). */
  readonly calls: number;
  readonly successes: number;
  /** Calls that failed (errors and timeouts; caller errors such as NOT_FOUND excluded). */
  readonly failures: number;
  /** Failures that were timeouts. */
  readonly timeouts: number;
  /** Calls not attempted because the breaker was open (or half-open with its probe in flight). */
  readonly rejections: number;
}

/** Options of `createCircuitBreaker`; the defaults suit Redis on a local network. */
export interface CircuitBreakerOptions {
  /** A call slower than this fails with ETIMEDOUT, ms. Default 200. */
  readonly timeoutMs?: number;
  /** Failure percentage over the rolling window at which the breaker opens. Default 50. */
  readonly errorThresholdPercentage?: number;
  /** Time the breaker stays open before letting one probe call through (half-open), ms. Default 2000. */
  readonly resetTimeoutMs?: number;
  /** Calls the rolling window must hold before the breaker may open. Default 3. */
  readonly volumeThreshold?: number;
  /** Length of the rolling window of statistics, ms (10 buckets). Default 10000. */
  readonly rollingWindowMs?: number;
  /** Errors that must not count as failures. Default: `isCallerError` (DomainErrors other than UNAVAILABLE). */
  readonly isIgnoredError?: (error: unknown) => boolean;
  /** Called on every state change, e.g. to log it. */
  readonly onStateChange?: (change: CircuitStateChange) => void;
}

/**
 * One opossum circuit breaker guarding every call to one dependency (e.g. "redis-cache"). Calls are
 * thunks: `breaker.run(() => redis.get(key))`. After enough failures in the rolling window the breaker
 * opens and rejects at once (opossum code EOPENBREAKER); after `resetTimeoutMs` it lets one probe through
 * and closes by itself when the probe succeeds.
 */
export class GuardedDependency {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private current: CircuitState = "closed";
  private counts_ = { calls: 0, successes: 0, failures: 0, timeouts: 0, rejections: 0 };

  constructor(
    readonly name: string,
    options: CircuitBreakerOptions = {},
  ) {
    const rollingWindowMs = options.rollingWindowMs ?? 10_000;
    this.breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      name,
      timeout: options.timeoutMs ?? 200,
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      resetTimeout: options.resetTimeoutMs ?? 2_000,
      volumeThreshold: options.volumeThreshold ?? 3,
      rollingCountTimeout: rollingWindowMs,
      rollingCountBuckets: 10,
      errorFilter: options.isIgnoredError ?? isCallerError,
    });
    const change = (to: CircuitState) => () => {
      const from = this.current;
      this.current = to;
      if (from !== to) options.onStateChange?.({ breaker: name, from, to });
    };
    this.breaker.on("open", change("open"));
    this.breaker.on("halfOpen", change("halfOpen"));
    this.breaker.on("close", change("closed"));
    this.breaker.on("fire", () => this.counts_.calls++);
    this.breaker.on("success", () => this.counts_.successes++);
    this.breaker.on("failure", () => this.counts_.failures++);
    this.breaker.on("timeout", () => this.counts_.timeouts++);
    this.breaker.on("reject", () => this.counts_.rejections++);
  }

  /**
   * Runs `work` through the breaker.
   * @throws the error of `work`; or an Error with code EOPENBREAKER (open) or ETIMEDOUT (slower than the
   *   timeout; `work` keeps running but its result is dropped). `mapBreakerError` turns those into UNAVAILABLE.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.breaker.fire(work) as Promise<T>;
  }

  /** closed (calls pass), open (calls rejected at once) or halfOpen (the next call is a probe). */
  get state(): CircuitState {
    return this.current;
  }

  /** Cumulative call outcomes since creation. */
  counts(): BreakerCounts {
    return { ...this.counts_ };
  }

  /** Stops the breaker's timers; later calls reject with ESHUTDOWN. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** Creates a breaker named `name` (the label of its metrics and log lines) with Candela's defaults. */
export function createCircuitBreaker(name: string, options: CircuitBreakerOptions = {}): GuardedDependency {
  return new GuardedDependency(name, options);
}
