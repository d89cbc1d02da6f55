import { DomainError, ErrorCode } from "../../../../src/domain/errors";
import { compileGlob, MAX_GLOB_LENGTH } from "../../../../src/store/memory/cache-glob";

describe("compileGlob (Redis MATCH syntax)", () => {
  const matches = (glob: string, name: string) => compileGlob(glob)(name);

  it("* matches any characters including / and :, ? exactly one", () => {
    expect(matches("BTCUSDT/*", "BTCUSDT/1h:features:{\"a\":1}")).toBe(true);
    expect(matches("BTCUSDT/*", "ETHUSDT/1h:x")).toBe(false);
    expect(matches("*", "")).toBe(true);
    expect(matches("", "")).toBe(true);
    expect(matches("", "x")).toBe(false);
    expect(matches("*/1h:*", "ETHUSDT/1h:bars")).toBe(true);
    expect(matches("*/1h:*", "ETHUSDT/1m:bars")).toBe(false);
    expect(matches("BTCUSDT/?h:*", "BTCUSDT/4h:x")).toBe(true);
    expect(matches("BTCUSDT/?h:*", "BTCUSDT/15m:x")).toBe(false);
    expect(matches("*ab*ab", "xabyab")).toBe(true);
    expect(matches("*ab*ab", "xabyaba")).toBe(false);
    expect(matches("a*b*c", "abbbcbc")).toBe(true);
  });

  it("classes, negated classes, ranges and escapes; regex characters are literal", () => {
    expect(matches("[BE]TCUSDT/*", "ETCUSDT/1h:x")).toBe(true);
    expect(matches("[^B]*", "BTCUSDT/1h:x")).toBe(false);
    expect(matches("[^B]*", "ETHUSDT/1h:x")).toBe(true);
    expect(matches("*/[0-9]m:*", "BTCUSDT/5m:x")).toBe(true);
    expect(matches("*/[0-9]m:*", "BTCUSDT/hm:x")).toBe(false);
    expect(matches("[a-]", "-")).toBe(true);
    expect(matches("[-a]", "-")).toBe(true);
    expect(matches("[\\]x]", "]")).toBe(true);
    expect(matches("\\[abc\\]", "[abc]")).toBe(true);
    expect(matches("a\\*b", "a*b")).toBe(true);
    expect(matches("a\\*b", "axb")).toBe(false);
    expect(matches("a\\", "a\\")).toBe(true);
    expect(matches("BRK.B/1d:(x)+", "BRK.B/1d:(x)+")).toBe(true);
    expect(matches("BRK.B/1d:(x)+", "BRKxB/1d:(x)+")).toBe(false);
  });

  it.each([
    ["[z-a]", /range z-a runs backwards/],
    ["BTC[abc", /`\[` is never closed/],
    ["BTC[]", /class `\[\]` is empty/],
    ["[^]", /class `\[\]` is empty/],
    ["*".repeat(MAX_GLOB_LENGTH + 1), new RegExp(`at most ${MAX_GLOB_LENGTH} are accepted`)],
  ])("rejects %j with BAD_USER_INPUT", (glob, message) => {
    let error: unknown;
    try {
      compileGlob(glob);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as DomainError).message).toMatch(message);
    expect((error as DomainError).message.length).toBeLessThan(200);
  });

  it("matches patterns that make a backtracking regex explode, over many long names, without stalling", () => {
    // A backtracking matcher needs about C(1000, 100) steps per name for the first pattern; these finish at once.
    const names = Array.from({ length: 1_000 }, (_, index) => `${"a".repeat(1_000)}${index}`);
    for (const glob of [`${"*a".repeat(100)}!`, `${"*".repeat(MAX_GLOB_LENGTH - 1)}!`, `${"*?".repeat(MAX_GLOB_LENGTH / 2 - 1)}!`]) {
      const matcher = compileGlob(glob);
      expect(names.filter(matcher)).toEqual([]);
    }
    expect(names.filter(compileGlob(`${"*a".repeat(100)}*9`))).toHaveLength(100);
  });
});
