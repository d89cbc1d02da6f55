/**
 * Features files with the composed-feature and windows keys: `windows` expands into one definition per period with
 * the input kept, and a bad entry (windows, input, a parameter, a deprecation without a reason) is refused as
 * BAD_USER_INPUT naming the entry and its field.
 */
import { readFeaturesFile } from "../../../src/cli/features-file";
import { temporaryFolder } from "../../support/temp-files";

describe("features files: input and windows", () => {
  const folder = temporaryFolder();
  afterAll(() => folder.cleanup());
  const read = (yaml: string) => readFeaturesFile(folder.write("features.yml", yaml));

  it("expands windows into <name>_<window> definitions, each reading the same input", () => {
    const entries = read("features:\n  - name: rsi_trend\n    indicator: ema\n    input: rsi_14@1\n    windows: [10, 30]\n");
    expect(entries).toEqual([
      { kind: "definition", registration: expect.objectContaining({ name: "rsi_trend_10", indicator: "ema", parameters: { period: 10 }, input: "rsi_14@1" }) },
      { kind: "definition", registration: expect.objectContaining({ name: "rsi_trend_30", indicator: "ema", parameters: { period: 30 }, input: "rsi_14@1" }) },
    ]);
  });

  it.each([
    ["features:\n  - name: sma_trend\n    indicator: sma\n    windows: [20, 20]\n", "features.0: `windows` lists 20 twice"],
    ["features:\n  - name: macd_trend\n    indicator: macd\n    windows: [5]\n", 'features.0: Indicator "macd" has no "period" parameter to take windows'],
    ["features:\n  - name: sma_trend\n    indicator: sma\n    windows: [2.5]\n", "features.0.windows.0:"],
    ["features:\n  - name: sma_of\n    indicator: sma\n    input: 14\n", "features.0.input:"],
    ["features:\n  - name: bad_one\n    indicator: rsi\n    parameters: { period: fourteen }\n", "features.0.parameters.period: Invalid input: expected number"],
    ["features:\n  - name: rsi_7\n    deprecated: \"\"\n", "features.0.deprecated: say why (and what to use instead)"],
  ])("refuses %j", (yaml, message) => {
    expect(() => read(yaml)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", message: expect.stringContaining(message) }));
  });
});
