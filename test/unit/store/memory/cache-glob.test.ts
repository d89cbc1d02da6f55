import { globToRegExp } from "../../../../src/store/memory/cache-glob";

describe("globToRegExp (Redis MATCH syntax)", () => {
  const matches = (glob: string, name: string) => globToRegExp(glob).test(name);

  it("* matches any characters including / and :, ? exactly one", () => {
    expect(matches("BTCUSDT/*", "BTCUSDT/1h:features:{\"a\":1}")).toBe(true);
    expect(matches("BTCUSDT/*", "ETHUSDT/1h:x")).toBe(false);
    expect(matches("*", "")).toBe(true);
    expect(matches("*/1h:*", "ETHUSDT/1h:bars")).toBe(true);
    expect(matches("*/1h:*", "ETHUSDT/1m:bars")).toBe(false);
    expect(matches("BTCUSDT/?h:*", "BTCUSDT/4h:x")).toBe(true);
    expect(matches("BTCUSDT/?h:*", "BTCUSDT/15m:x")).toBe(false);
  });

  it("classes, negated classes, ranges and escapes; regex characters are literal", () => {
    expect(matches("[BE]TCUSDT/*", "ETCUSDT/1h:x")).toBe(true);
    expect(matches("[^B]*", "BTCUSDT/1h:x")).toBe(false);
    expect(matches("*/[0-9]m:*", "BTCUSDT/5m:x")).toBe(true);
    expect(matches("a\\*b", "a*b")).toBe(true);
    expect(matches("a\\*b", "axb")).toBe(false);
    expect(matches("BRK.B/1d:(x)+", "BRK.B/1d:(x)+")).toBe(true);
    expect(matches("BRK.B/1d:(x)+", "BRKxB/1d:(x)+")).toBe(false);
    expect(matches("[abc", "[abc")).toBe(true);
  });
});
