import { readClosuresFile } from "../../../src/server/closures-file";
import { temporaryFolder } from "../../support/temp-files";

describe("CANDELA_CLOSURES_FILE", () => {
  const folder = temporaryFolder();
  afterAll(() => folder.cleanup());

  it("reads closed days per instrument", () => {
    const file = folder.write("closures.json", JSON.stringify({ BTCUSDT: [{ date: "2023-03-24", reason: "exchange outage" }], SPY: [] }));
    const closures = readClosuresFile(file);
    expect(closures.get("BTCUSDT")).toEqual(new Map([["2023-03-24", "exchange outage"]]));
    expect(closures.get("SPY")).toEqual(new Map());
  });

  it.each([
    [{ btc: [] }, /btc: Invalid key in record/],
    [{ BTCUSDT: [{ date: "2023-02-30x", reason: "x" }] }, /BTCUSDT\.0\.date: must be a date YYYY-MM-DD/],
    [{ BTCUSDT: [{ date: "2023-03-24", reason: "x", extra: 1 }] }, /BTCUSDT\.0: Unrecognized key/],
  ])("refuses %j naming the entry", (content, message) => {
    expect(() => readClosuresFile(folder.write("bad.json", JSON.stringify(content)))).toThrow(message);
  });

  it("refuses a file that is not JSON", () => {
    expect(() => readClosuresFile(folder.write("broken.json", "{"))).toThrow(/CANDELA_CLOSURES_FILE .*broken\.json/);
  });
});
