import { isConnectionFailure, retryConnectionFailures, type RetryNotice } from "../../../src/server/database-runtime";

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isConnectionFailure", () => {
  it.each([
    ["a refused connection", coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["a host name that does not resolve yet (compose)", coded("getaddrinfo ENOTFOUND postgres", "ENOTFOUND")],
    ["a temporary DNS failure", coded("getaddrinfo EAI_AGAIN postgres", "EAI_AGAIN")],
    ["a reset connection", coded("read ECONNRESET", "ECONNRESET")],
    ["a server starting up (57P03)", coded("the database system is starting up", "57P03")],
    ["a server shutting down under a connection (57P01)", coded("terminating connection due to administrator command", "57P01")],
    ["a socket closed during the handshake, or a connect timeout", new Error("Connection terminated unexpectedly")],
    ["every address of a host refusing", new AggregateError([coded("a", "ECONNREFUSED"), coded("b", "ECONNREFUSED")], "")],
  ])("retries %s", (_case, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ["a wrong password (28P01)", coded('password authentication failed for user "postgres"', "28P01")],
    ["an unknown role (28000)", coded('role "nobody" does not exist', "28000")],
    ["a migration's SQL error", coded('relation "bar" already exists', "42P07")],
    ["an error without a code", new Error("Migration 20261123000000_init was edited after it was applied")],
    ["something thrown that is not an Error", "ECONNREFUSED"],
    ["an AggregateError with a non-connection failure inside", new AggregateError([coded("a", "ECONNREFUSED"), coded("b", "28P01")], "")],
  ])("does not retry %s", (_case, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe("retryConnectionFailures", () => {
  const policy = { timeoutMs: 5_000, firstDelayMs: 8, maxDelayMs: 40 };

  it("retries connection failures with growing, jittered delays until the attempt succeeds", async () => {
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = await retryConnectionFailures(
      async () => {
        calls += 1;
        if (calls < 6) throw coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
        return "connected";
      },
      policy,
      (notice) => notices.push(notice),
    );
    expect(result).toBe("connected");
    expect(notices.map((notice) => notice.attempt)).toEqual([1, 2, 3, 4, 5]);
    // Equal jitter: the n-th delay lies in [bound/2, bound], bound = min(40, 8 * 2^(n-1)).
    const bounds = [8, 16, 32, 40, 40];
    notices.forEach((notice, index) => {
      expect(notice.delayMs).toBeGreaterThanOrEqual(bounds[index] / 2);
      expect(notice.delayMs).toBeLessThanOrEqual(bounds[index]);
    });
  });

  it("throws any other failure at once, without a retry", async () => {
    const onRetry = jest.fn();
    let calls = 0;
    const failure = coded('password authentication failed for user "postgres"', "28P01");
    await expect(
      retryConnectionFailures(
        async () => {
          calls += 1;
          throw failure;
        },
        policy,
        onRetry,
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it("gives up at the deadline with the last connection failure, never sleeping past it", async () => {
    const started = Date.now();
    const notices: RetryNotice[] = [];
    let calls = 0;
    const failure = await retryConnectionFailures(
      async () => {
        calls += 1;
        throw coded(`connect ECONNREFUSED (attempt ${calls})`, "ECONNREFUSED");
      },
      { timeoutMs: 300, firstDelayMs: 50, maxDelayMs: 1_000 },
      (notice) => notices.push(notice),
    ).catch((error: Error) => error);
    expect(Date.now() - started).toBeLessThan(600);
    expect(notices.length).toBeGreaterThanOrEqual(2);
    expect(failure).toEqual(new Error(`connect ECONNREFUSED (attempt ${notices.length + 1})`));
  });

  it("tries once when the timeout is 0", async () => {
    const onRetry = jest.fn();
    await expect(retryConnectionFailures(() => Promise.reject(coded("refused", "ECONNREFUSED")), { ...policy, timeoutMs: 0 }, onRetry)).rejects.toThrow(
      "refused",
    );
    expect(onRetry).not.toHaveBeenCalled();
  });
});
