import { badUserInput, DomainError, ErrorCode } from "../../../src/domain/errors";
import { createCircuitBreaker } from "../../../src/resilience/circuit-breaker";
import { isDatabaseUnreachable } from "../../../src/store/postgres/database-guard";
import { guardCalls } from "../../../src/resilience/guarded-calls";

class Service {
  calls = 0;
  async answer(value: number): Promise<number> {
    this.calls++;
    return value * 2;
  }
  async slow(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  async mistake(): Promise<void> {
    throw badUserInput("wrong");
  }
  async refused(): Promise<void> {
    throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  }
  async bug(): Promise<void> {
    throw new TypeError("bug");
  }
}

describe("guardCalls", () => {
  const breaker = createCircuitBreaker("test", { timeoutMs: 50, resetTimeoutMs: 60_000, volumeThreshold: 100 });
  const service = new Service();
  const guarded = guardCalls(service, breaker, "test service", isDatabaseUnreachable);
  afterAll(() => breaker.shutdown());

  it("passes calls and results through, with `this` bound to the service", async () => {
    expect(await guarded.answer(21)).toBe(42);
    expect(service.calls).toBe(1);
  });

  it("turns a timeout into UNAVAILABLE naming the dependency", async () => {
    await expect(guarded.slow()).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, message: "The test service is unreachable (timed out). Retry shortly." });
  });

  it("turns an outage error into UNAVAILABLE, and lets DomainErrors and bugs through unchanged", async () => {
    await expect(guarded.refused()).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(guarded.mistake()).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message: "wrong" });
    const bug = await guarded.bug().catch((error: unknown) => error);
    expect(bug).toBeInstanceOf(TypeError);
    expect(bug).not.toBeInstanceOf(DomainError);
  });

  it("fails fast with UNAVAILABLE once the breaker is open", async () => {
    const fragile = createCircuitBreaker("fragile", { timeoutMs: 1_000, resetTimeoutMs: 60_000, volumeThreshold: 1, errorThresholdPercentage: 1 });
    const target = new Service();
    const guardedTarget = guardCalls(target, fragile, "fragile service", isDatabaseUnreachable);
    await expect(guardedTarget.refused()).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(guardedTarget.answer(1)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, message: /breaker open/ });
    expect(target.calls).toBe(0);
    fragile.shutdown();
  });
});
