import { DomainError, ErrorCode, notFound } from "../../../src/domain/errors";
import { isBreakerRejection, isCallerError, mapBreakerError, unavailable } from "../../../src/resilience/breaker-errors";
import { createCircuitBreaker, type CircuitStateChange } from "../../../src/resilience/circuit-breaker";

const failing = () => Promise.reject(new Error("connection refused"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createCircuitBreaker", () => {
  it("opens after failures, fails fast with EOPENBREAKER, then closes by itself after a successful probe", async () => {
    const changes: CircuitStateChange[] = [];
    const breaker = createCircuitBreaker("dependency", { resetTimeoutMs: 100, onStateChange: (change) => changes.push(change) });
    try {
      for (let index = 0; index < 3; index++) await expect(breaker.run(failing)).rejects.toThrow("connection refused");
      expect(breaker.state).toBe("open");

      let called = false;
      const rejected = await breaker.run(async () => (called = true)).catch((error: unknown) => error);
      expect(called).toBe(false);
      expect(isBreakerRejection(rejected)).toBe(true);
      expect((rejected as { code: string }).code).toBe("EOPENBREAKER");

      await sleep(150);
      expect(breaker.state).toBe("halfOpen");
      await expect(breaker.run(async () => "answer")).resolves.toBe("answer");
      expect(breaker.state).toBe("closed");
      expect(changes).toEqual([
        { breaker: "dependency", from: "closed", to: "open" },
        { breaker: "dependency", from: "open", to: "halfOpen" },
        { breaker: "dependency", from: "halfOpen", to: "closed" },
      ]);
      expect(breaker.counts()).toEqual({ calls: 5, successes: 1, failures: 3, timeouts: 0, rejections: 1 });
    } finally {
      breaker.shutdown();
    }
  });

  it("times a slow call out with ETIMEDOUT after timeoutMs", async () => {
    const breaker = createCircuitBreaker("slow", { timeoutMs: 30 });
    try {
      const started = Date.now();
      const error = await breaker.run(() => sleep(500)).catch((caught: unknown) => caught);
      expect((error as { code: string }).code).toBe("ETIMEDOUT");
      expect(Date.now() - started).toBeLessThan(400);
      expect(breaker.counts()).toMatchObject({ failures: 1, timeouts: 1 });
    } finally {
      breaker.shutdown();
    }
  });

  it("never opens for caller errors (NOT_FOUND, BAD_USER_INPUT): they reach the caller unchanged", async () => {
    const breaker = createCircuitBreaker("lookups");
    try {
      for (let index = 0; index < 10; index++) {
        await expect(breaker.run(() => Promise.reject(notFound("Unknown symbol \"XYZ\".")))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      }
      expect(breaker.state).toBe("closed");
      expect(breaker.counts()).toMatchObject({ failures: 0, successes: 10 });
    } finally {
      breaker.shutdown();
    }
  });
});

describe("breaker errors", () => {
  it("isCallerError: DomainErrors other than UNAVAILABLE", () => {
    expect(isCallerError(notFound("x"))).toBe(true);
    expect(isCallerError(new DomainError(ErrorCode.BAD_USER_INPUT, "x"))).toBe(true);
    expect(isCallerError(new DomainError(ErrorCode.UNAVAILABLE, "x"))).toBe(false);
    expect(isCallerError(new Error("socket closed"))).toBe(false);
  });

  it("mapBreakerError: open breaker and timeout become UNAVAILABLE naming the dependency; other errors pass", () => {
    const open = Object.assign(new Error("Breaker is open"), { code: "EOPENBREAKER" });
    const timeout = Object.assign(new Error("Timed out after 200ms"), { code: "ETIMEDOUT" });
    const mappedOpen = mapBreakerError(open, "database") as DomainError;
    expect(mappedOpen).toBeInstanceOf(DomainError);
    expect(mappedOpen.code).toBe(ErrorCode.UNAVAILABLE);
    expect(mappedOpen.message).toBe("The database is unreachable (breaker open after repeated failures). Retry shortly.");
    expect(mappedOpen.details).toEqual({ dependency: "database", reason: "breaker open after repeated failures" });
    expect((mapBreakerError(timeout, "database") as DomainError).message).toBe("The database is unreachable (timed out). Retry shortly.");
    const bug = new TypeError("undefined is not a function");
    expect(mapBreakerError(bug, "database")).toBe(bug);
    const userError = notFound("Unknown symbol");
    expect(mapBreakerError(userError, "database")).toBe(userError);
    expect(unavailable("online feature store (Redis)", new Error("Connection is closed.")).message).toBe(
      "The online feature store (Redis) is unreachable (connection lost). Retry shortly.",
    );
    // Never the driver's words: they name hosts, ports and SQL.
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:5432"), { code: "ECONNREFUSED" });
    expect(unavailable("database", refused).message).toBe("The database is unreachable (connection refused). Retry shortly.");
    const cancelled = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    expect(unavailable("database", cancelled).details).toEqual({ dependency: "database", reason: "statement timed out" });
    expect(unavailable("database", new Error("relation \"bar\" does not exist at 10.1.2.3")).message).toBe("The database is unreachable (not answering). Retry shortly.");
  });
});
