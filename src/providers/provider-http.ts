import { backOff } from "exponential-backoff";
import type { z } from "zod";
import { DomainError, ErrorCode } from "../domain/errors";
import { isBreakerRejection, isBreakerTimeout } from "../resilience/breaker-errors";
import type { GuardedDependency } from "../resilience/circuit-breaker";

/** How a provider's HTTP calls are made; defaults suit a public REST API over the internet. */
export interface ProviderHttpOptions {
  /** The provider's name in errors and logs, e.g. "binance". */
  readonly provider: string;
  /** Base URL, e.g. "https://api.binance.com". */
  readonly baseUrl: string;
  /** The provider's circuit breaker: every attempt runs through it; its timeout is each attempt's timeout. */
  readonly breaker: GuardedDependency;
  /** Attempts per call, the first included (default 5). */
  readonly attempts?: number;
  /** Backoff before the second attempt, ms; doubles each time, with full jitter (default 250). */
  readonly initialDelayMs?: number;
  /** Longest backoff between two attempts, ms (default 10 s). */
  readonly maxDelayMs?: number;
  /** A `Retry-After` longer than this ends the call with UNAVAILABLE instead of waiting, ms (default 60 s). */
  readonly maxRetryAfterMs?: number;
  /** Query parameters whose values are secrets (API keys): replaced by "***" wherever the URL is reported. */
  readonly secretParameters?: readonly string[];
  /** The HTTP status an answer's body reports when the API puts errors in 200 answers (Twelve Data); undefined: none. */
  readonly statusInBody?: (body: unknown) => number | undefined;
  /** Waits `ms` (tests pass a recording one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reported before each retry, with the reason in fixed words and the URL with secrets hidden. */
  readonly onRetry?: (retry: { provider: string; url: string; attempt: number; reason: string; waitMs: number }) => void;
}

/** A provider's answer that was read: the body parsed as JSON and the response headers. */
export interface ProviderResponse {
  readonly body: unknown;
  readonly headers: Headers;
}

/** An attempt that failed in a way worth retrying: 429/418 (with the wait asked for), 5xx, a dropped or malformed answer. */
class RetryableFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

/** Decides what a non-2xx answer means: a caller mistake (DomainError, not retried) or undefined to retry it. */
export type ErrorAnswerMapper = (status: number, body: unknown) => DomainError | undefined;

/**
 * GET requests to one provider's REST API, for idempotent reads only: each attempt runs through the provider's
 * breaker (which times it out), a 429 or 418 waits for its `Retry-After`, 5xx answers, dropped connections and
 * malformed bodies are retried with exponential backoff and full jitter, and an answer `mapErrorAnswer` recognizes
 * as the caller's mistake (an unknown symbol) fails at once. Secrets never appear in errors or reports.
 */
export class ProviderHttpClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ProviderHttpOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Fetches `path` with `query` and parses the JSON body.
   * @throws DomainError from `mapErrorAnswer` (not retried); UNAVAILABLE naming the provider and a fixed reason
   *   ("rate limited", "server error 503", "malformed answer", "timed out", "breaker open after repeated failures",
   *   "connection failed") once the attempts are spent or the breaker is open; an AbortError when `signal` aborts
   */
  async getJson(path: string, query: Record<string, string | number | undefined>, mapErrorAnswer: ErrorAnswerMapper, signal?: AbortSignal): Promise<ProviderResponse> {
    const url = new URL(path, this.options.baseUrl.endsWith("/") ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    const { provider, breaker } = this.options;
    const maxRetryAfterMs = this.options.maxRetryAfterMs ?? 60_000;
    try {
      return await backOff(() => breaker.run(() => this.attempt(url, mapErrorAnswer, signal)), {
        numOfAttempts: this.options.attempts ?? 5,
        startingDelay: this.options.initialDelayMs ?? 250,
        maxDelay: this.options.maxDelayMs ?? 10_000,
        timeMultiple: 2,
        jitter: "full",
        retry: async (error: unknown, attempt: number) => {
          // An open breaker fails fast; a timed-out attempt is retried like a dropped one.
          if (signal?.aborted || error instanceof DomainError || (isBreakerRejection(error) && !isBreakerTimeout(error))) return false;
          const retryAfterMs = error instanceof RetryableFailure ? error.retryAfterMs : undefined;
          if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return false;
          this.options.onRetry?.({ provider, url: this.redacted(url), attempt, reason: reasonOf(error), waitMs: retryAfterMs ?? 0 });
          if (retryAfterMs !== undefined) await this.sleep(retryAfterMs);
          return true;
        },
      });
    } catch (error) {
      if (error instanceof DomainError || (error instanceof Error && error.name === "AbortError" && signal?.aborted)) throw error;
      const reason = reasonOf(error);
      const retryAfterMs = error instanceof RetryableFailure ? error.retryAfterMs : undefined;
      const hint = retryAfterMs === undefined ? "Retry shortly." : `It asks to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
      throw new DomainError(ErrorCode.UNAVAILABLE, `The market-data provider ${provider} is unavailable (${reason}). ${hint}`, { dependency: provider, reason });
    }
  }

  private async attempt(url: URL, mapErrorAnswer: ErrorAnswerMapper, signal?: AbortSignal): Promise<ProviderResponse> {
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await fetch(url, { signal, headers: { accept: "application/json" } });
    } catch (error) {
      if (error instanceof Error && error.name === "AbortError") throw error;
      throw new RetryableFailure("connection failed");
    }
    const text = await response.text().catch(() => undefined);
    if (text === undefined) throw new RetryableFailure("connection failed");
    const body = parseJson(text);
    const status = (response.ok ? this.options.statusInBody?.(body) : undefined) ?? response.status;
    if (status === 429 || status === 418) {
      throw new RetryableFailure("rate limited", retryAfterMs(response.headers.get("retry-after")) ?? 1_000);
    }
    if (status >= 500) throw new RetryableFailure(`server error ${status}`);
    if (status >= 300) {
      const mapped = mapErrorAnswer(status, body);
      if (mapped !== undefined) throw mapped;
      throw new RetryableFailure(`answered ${status}`);
    }
    if (body === undefined) throw new RetryableFailure("malformed answer");
    return { body, headers: response.headers };
  }

  private redacted(url: URL): string {
    const copy = new URL(url);
    for (const name of this.options.secretParameters ?? []) if (copy.searchParams.has(name)) copy.searchParams.set(name, "***");
    return copy.toString();
  }
}

/** A provider's answer that is well-formed JSON but not what its API documents. */
export function malformedAnswer(provider: string, detail: string): DomainError {
  return new DomainError(ErrorCode.UNAVAILABLE, `The market-data provider ${provider} sent a malformed answer (${detail}). Retry later or report it.`, {
    dependency: provider,
    reason: "malformed answer",
  });
}

/** The first problem zod found in a provider's payload, in a few words: "[3][1]: a decimal number". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.map((part) => `[${String(part)}]`).join("")}: ${issue.message}`.slice(0, 120);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function reasonOf(error: unknown): string {
  if (error instanceof RetryableFailure) return error.reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ETIMEDOUT") return "timed out";
  if (code === "EOPENBREAKER") return "breaker open after repeated failures";
  return "connection failed";
}
