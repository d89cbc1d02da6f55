import type { GraphQLError } from "graphql";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Authentication } from "../access/authorization";
import { DomainError, ErrorCode } from "../domain/errors";
import { withHttpStatus } from "../graphql/errors";

/** Requests per second each budget allows (sustained; the budget refills every second). */
export interface RateLimitSettings {
  /** Per API key, for requests it authenticates. */
  readonly perKeyPerSecond: number;
  /** Per client address, for requests without a key and requests whose credentials are rejected. */
  readonly perAddressPerSecond: number;
}

/** The error a request over its budget gets: RATE_LIMITED, HTTP 429 with Retry-After, and the wait in seconds. */
function rateLimited(whose: string, perSecond: number, waitMs: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  const error = new DomainError(
    ErrorCode.RATE_LIMITED,
    `Too many requests ${whose}: at most ${perSecond} per second. Retry after ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
  return withHttpStatus(error, 429, [["retry-after", String(retryAfterSeconds)]]);
}

/** How long a budget waits for Redis before the in-process stand-in answers (a frozen Redis never refuses). */
const REDIS_BUDGET_TIMEOUT_MS = 250;

/**
 * One budget: in Redis (shared by every server, with an in-process stand-in while Redis is down or does not answer
 * within REDIS_BUDGET_TIMEOUT_MS), or in-process.
 */
function budget(name: string, perSecond: number, redis: Redis | undefined): RateLimiterAbstract {
  const inProcess = new RateLimiterMemory({ keyPrefix: `candela:rate:${name}`, points: perSecond, duration: 1 });
  if (redis === undefined) return inProcess;
  const shared = new RateLimiterRedis({ storeClient: redis, keyPrefix: `candela:rate:${name}`, points: perSecond, duration: 1 });
  return new RLWrapperTimeouts({ limiter: shared, timeoutMs: REDIS_BUDGET_TIMEOUT_MS, insuranceLimiter: inProcess }) as unknown as RateLimiterAbstract;
}

/**
 * Per-key and per-address request budgets for GraphQL over HTTP (rate-limiter-flexible, fixed one-second windows).
 * With Redis the budgets are shared by every server; while Redis is unreachable or frozen each server keeps its own.
 */
export class RequestRateLimits {
  private readonly perKey: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(
    private readonly settings: RateLimitSettings,
    redis?: Redis,
  ) {
    this.perKey = budget("key", settings.perKeyPerSecond, redis);
    this.perAddress = budget("address", settings.perAddressPerSecond, redis);
  }

  /**
   * Before the API key is looked up: refuses an address whose budget is spent, so a flood of made-up keys from one
   * address never reaches PostgreSQL.
   * @throws GraphQLError RATE_LIMITED (HTTP 429)
   */
  async checkAddress(address: string): Promise<void> {
    const spent = await this.perAddress.get(address);
    if (spent !== null && spent.remainingPoints <= 0) throw rateLimited("from this address", this.settings.perAddressPerSecond, spent.msBeforeNext);
  }

  /**
   * Spends one request: from the key's budget when a key authenticated it, else from the address's.
   * @throws GraphQLError RATE_LIMITED (HTTP 429) when that budget is spent
   */
  async spend(address: string, authentication: Authentication): Promise<void> {
    const keyed = authentication.kind === "key";
    try {
      if (keyed) await this.perKey.consume(String(authentication.key.id));
      else await this.perAddress.consume(address);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw keyed
        ? rateLimited(`for this API key`, this.settings.perKeyPerSecond, refusal.msBeforeNext)
        : rateLimited("from this address", this.settings.perAddressPerSecond, refusal.msBeforeNext);
    }
  }
}
