/**
 * Band touches (src/indicators/bandtouches.ts) beyond the shared tests: flags and counts recomputed from the band
 * indicators' own outputs on real bars, and the rule on parameters a band does not read.
 */
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { bandtouches, TOUCH_TOLERANCE, TouchedBand } from "../../../src/indicators/bandtouches";
import { bbands } from "../../../src/indicators/bbands";
import { donchian } from "../../../src/indicators/donchian";
import type { IndicatorDefinition } from "../../../src/indicators/indicator";
import { keltner } from "../../../src/indicators/keltner";
import { resolveParameters } from "../../../src/indicators/parameters";
import { loadSeries } from "../../support/market-data";

const bars = loadSeries("BTCUSDT-1h.csv");

describe("bandtouches", () => {
  it.each([
    [TouchedBand.BOLLINGER, bbands, {}],
    [TouchedBand.KELTNER, keltner, {}],
    [TouchedBand.DONCHIAN, donchian, {}],
  ] as [TouchedBand, IndicatorDefinition, Record<string, number>][])("band %s: flags and counts recomputed from the band indicator's outputs", (band, indicator) => {
    const window = 20;
    const outputs = bandtouches.computeBatch(resolveParameters(bandtouches, { band }), bars);
    const [upper, middle, lower] = indicator.computeBatch(resolveParameters(indicator, {}), bars);
    const lookback = indicator.lookback(resolveParameters(indicator, {})) + window - 1;
    expect(bandtouches.lookback(resolveParameters(bandtouches, { band }))).toBe(lookback);
    const near = (line: number) => TOUCH_TOLERANCE * Math.abs(line);
    const flags = [
      (i: number) => Number(bars.high[i] >= upper[i] - near(upper[i])),
      (i: number) => Number(bars.low[i] <= middle[i] + near(middle[i]) && middle[i] - near(middle[i]) <= bars.high[i]),
      (i: number) => Number(bars.low[i] <= lower[i] + near(lower[i])),
    ];
    for (let i = lookback; i < 4_000; i++) {
      for (let k = 0; k < 3; k++) {
        let count = 0;
        for (let j = i - window + 1; j <= i; j++) count += flags[k](j);
        expect([outputs[k][i], outputs[k + 3][i]]).toEqual([flags[k](i), count]);
      }
    }
  });

  it("rejects parameters the chosen band does not read, naming them", () => {
    const unused: Record<string, number>[] = [{ band: TouchedBand.DONCHIAN, multiplier: 3 }, { band: TouchedBand.BOLLINGER, atrPeriod: 14 }, { band: TouchedBand.DONCHIAN, atrPeriod: 5 }];
    for (const given of unused) {
      try {
        resolveParameters(bandtouches, given);
        throw new Error("expected a DomainError");
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
        expect((error as DomainError).message).toContain(Object.keys(given)[1]);
      }
    }
    expect(() => resolveParameters(bandtouches, { band: TouchedBand.KELTNER, atrPeriod: 14, multiplier: 1.5 })).not.toThrow();
  });
});
