import { Timeframe } from "../../../src/domain/timeframe";
import { readWatchlistFile } from "../../../src/server/watchlist-file";
import { temporaryFolder } from "../../support/temp-files";

describe("readWatchlistFile (CANDELA_WATCHLIST_FILE)", () => {
  const folder = temporaryFolder();
  afterAll(() => folder.cleanup());
  const write = (content: unknown) => folder.write("watchlist.json", typeof content === "string" ? content : JSON.stringify(content));

  it("reads the series with their defaults: no features, 1,000 bars of history, no calendar of its own (the provider's is used)", () => {
    const [entry] = readWatchlistFile(write([{ symbol: "BTCUSDT", timeframe: "1m", provider: "binance" }]), ["binance"]);
    expect(entry).toEqual({ symbol: "BTCUSDT", timeframe: Timeframe.M1, provider: "binance", features: [], historyBars: 1_000 });
    const [withCalendar] = readWatchlistFile(write([{ symbol: "EURUSD", timeframe: "H1", provider: "twelvedata", calendar: "fx", features: ["ema_20"], historyBars: 50 }]), ["binance", "twelvedata"]);
    expect(withCalendar).toMatchObject({ timeframe: Timeframe.H1, features: ["ema_20"], historyBars: 50 });
    expect(withCalendar.calendar).toBeDefined();
  });

  it.each([
    ["not JSON", "[{", /CANDELA_WATCHLIST_FILE .*watchlist\.json: /],
    ["a bad symbol", [{ symbol: "btc usdt", timeframe: "1m", provider: "binance" }], /is malformed:\n {2}0\.symbol: must be a ticker/],
    ["an unknown timeframe", [{ symbol: "BTCUSDT", timeframe: "2h", provider: "binance" }], /0\.timeframe: Unknown timeframe "2h"/],
    ["an unknown calendar", [{ symbol: "BTCUSDT", timeframe: "1m", provider: "binance", calendar: "moon" }], /0\.calendar: Unknown calendar preset "moon"/],
    ["an unknown field", [{ symbol: "BTCUSDT", timeframe: "1m", provider: "binance", feature: "rsi_14" }], /0: Unrecognized key/],
    ["no history", [{ symbol: "BTCUSDT", timeframe: "1m", provider: "binance", historyBars: 0 }], /0\.historyBars/],
    ["a provider not configured", [{ symbol: "EURUSD", timeframe: "1h", provider: "twelvedata" }], /\[0\]\.provider "twelvedata" is not configured \(configured: binance\)/],
  ])("refuses %s, naming the file and the entry", (_case, content, message) => {
    expect(() => readWatchlistFile(write(content), ["binance"])).toThrow(message);
  });
});
