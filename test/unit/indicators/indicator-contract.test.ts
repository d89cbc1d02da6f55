/**
 * The contract every registered indicator must keep (in the spirit of trading-signals'
 * testIndicatorContract): complete metadata, parameters that resolve and reject bad input, lookback and
 * warm-up semantics checked on real data, pure batch computation.
 */
import type { BarColumns } from "../../../src/domain/bar";
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import type { IndicatorDefinition, IndicatorParameters } from "../../../src/indicators/indicator";
import { resolveParameters } from "../../../src/indicators/parameters";
import { INDICATORS, findIndicator, getIndicator } from "../../../src/indicators/registry";
import { TEST_SERIES, loadSeries, sliceSeries } from "../../support/market-data";
import { PARAMETER_CASES } from "./cases";

/** Calls `action` and returns the DomainError it throws (fails the test when it does not throw one). */
function domainErrorOf(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

/**
 * The scale a warm-up tolerance is relative to (see src/indicators/warmup.ts): 100 for the 0..100
 * oscillators, the price level for MACD's differences of averages, the value itself otherwise.
 */
function scaleOf(indicator: IndicatorDefinition, value: number, close: number): number {
  if (indicator.id === "rsi" || indicator.id === "stoch") return 100;
  if (indicator.id === "macd") return Math.abs(close);
  return Math.abs(value);
}

/**
 * Agreement limited by rounding rather than warm-up. BBANDS follows TA-Lib: sqrt(E[x²] - mean²) from a
 * running sum of squares whose rounding drifts with the length of history; on windows with near-zero
 * variance (period 2, two equal closes) the bands then depend on the start row by up to 4.8e-8 of the
 * price (EURUSD-1h). TA-Lib itself shows the same when started at a later row. No warm-up fixes drift, so
 * bbands is checked at max(tolerance, 1e-7).
 */
const ROUNDING_FLOOR: Readonly<Record<string, number>> = { bbands: 1e-7 };

/**
 * Worst ratio |suffix - full| / (tolerance * scale) over rows from `start + warmup` on, where `suffix`
 * is computed from bars [start ..] only. <= 1 means the warm-up was sufficient.
 */
function worstWarmupRatio(
  indicator: IndicatorDefinition,
  parameters: IndicatorParameters,
  columns: BarColumns,
  full: Float64Array[],
  start: number,
  warmup: number,
  tolerance: number,
): number {
  const suffix = indicator.computeBatch(parameters, sliceSeries(columns, start));
  let worst = 0;
  for (let output = 0; output < full.length; output++) {
    for (let row = start + warmup; row < columns.length; row++) {
      const expected = full[output][row];
      const error = Math.abs(suffix[output][row - start] - expected);
      if (error === 0) continue;
      const checked = Math.max(tolerance, ROUNDING_FLOOR[indicator.id] ?? 0);
      worst = Math.max(worst, error / (checked * scaleOf(indicator, expected, columns.close[row])));
    }
  }
  return worst;
}

describe("indicator registry", () => {
  it("lists the ten indicators with unique lower-case ids", () => {
    expect(INDICATORS.map((indicator) => indicator.id)).toEqual(["sma", "ema", "wma", "rsi", "macd", "bbands", "atr", "stoch", "obv", "roc"]);
  });

  it("finds indicators by id and returns undefined for unknown ids", () => {
    for (const indicator of INDICATORS) expect(findIndicator(indicator.id)).toBe(indicator);
    expect(findIndicator("RSI")).toBeUndefined();
    expect(findIndicator("vwap")).toBeUndefined();
  });

  it("getIndicator throws NOT_FOUND naming the available indicators", () => {
    const error = domainErrorOf(() => getIndicator("vwap"));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.message).toBe('Unknown indicator "vwap". Available: sma, ema, wma, rsi, macd, bbands, atr, stoch, obv, roc.');
  });

  it("every registered indicator has parameter cases in the shared test table", () => {
    expect(Object.keys(PARAMETER_CASES).sort()).toEqual(INDICATORS.map((indicator) => indicator.id).sort());
  });
});

describe.each(INDICATORS.map((indicator) => [indicator.id, indicator] as const))("indicator contract: %s", (_id, indicator) => {
  const defaults = resolveParameters(indicator, {});
  const series = loadSeries("BTCUSDT-1h.csv");

  it("has complete metadata: name, description, source, version, inputs and described outputs", () => {
    expect(indicator.name.length).toBeGreaterThan(0);
    expect(indicator.description.length).toBeGreaterThan(20);
    expect(indicator.source).toMatch(/TA-Lib TA_[A-Z]+/);
    expect(Number.isInteger(indicator.version) && indicator.version >= 1).toBe(true);
    expect(indicator.inputs.length).toBeGreaterThan(0);
    expect(indicator.outputs.length).toBeGreaterThan(0);
    expect(new Set(indicator.outputs.map((output) => output.name)).size).toBe(indicator.outputs.length);
    for (const output of indicator.outputs) expect(output.description.length).toBeGreaterThan(0);
    if (indicator.outputs.length === 1) expect(indicator.outputs[0].name).toBe("value");
  });

  it("declares parameters with descriptions and defaults within their bounds", () => {
    expect(new Set(indicator.parameters.map((spec) => spec.name)).size).toBe(indicator.parameters.length);
    for (const spec of indicator.parameters) {
      expect(spec.description.length).toBeGreaterThan(0);
      expect(spec.minimum).toBeLessThanOrEqual(spec.defaultValue);
      expect(spec.defaultValue).toBeLessThanOrEqual(spec.maximum);
      if (spec.integer) {
        expect([spec.minimum, spec.defaultValue, spec.maximum].every(Number.isInteger)).toBe(true);
      }
    }
  });

  it("resolves default parameters to a complete frozen record", () => {
    expect(Object.keys(defaults)).toEqual(indicator.parameters.map((spec) => spec.name));
    for (const spec of indicator.parameters) expect(defaults[spec.name]).toBe(spec.defaultValue);
    expect(Object.isFrozen(defaults)).toBe(true);
  });

  it("rejects unknown parameter names with BAD_USER_INPUT listing the valid ones", () => {
    const error = domainErrorOf(() => resolveParameters(indicator, { lenght: 3 }));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toContain('"lenght"');
    for (const spec of indicator.parameters) expect(error.message).toContain(spec.name);
  });

  it("rejects non-finite, fractional and out-of-range values with BAD_USER_INPUT naming the bounds", () => {
    for (const spec of indicator.parameters) {
      const bad = [NaN, Infinity, -Infinity, spec.minimum - 1, spec.maximum + 1];
      if (spec.integer) bad.push(spec.defaultValue + 0.5);
      for (const value of bad) {
        const error = domainErrorOf(() => resolveParameters(indicator, { [spec.name]: value }));
        expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
        expect(error.message).toContain(`"${spec.name}"`);
      }
      const outOfRange = domainErrorOf(() => resolveParameters(indicator, { [spec.name]: spec.maximum + 1 }));
      expect(outOfRange.message).toContain(`between ${spec.minimum} and ${spec.maximum}`);
    }
  });

  it("has a non-negative integer lookback and a warm-up at least the lookback, growing as the tolerance tightens", () => {
    for (const given of PARAMETER_CASES[indicator.id]) {
      const parameters = resolveParameters(indicator, given);
      const lookback = indicator.lookback(parameters);
      expect(Number.isInteger(lookback) && lookback >= 0).toBe(true);
      let previous = lookback;
      for (const tolerance of [1e-2, 1e-4, 1e-6, 1e-9, 1e-12]) {
        const warmup = indicator.warmup(parameters, tolerance);
        expect(warmup).toBeGreaterThanOrEqual(previous);
        previous = warmup;
      }
    }
  });

  it("rejects a warm-up tolerance outside (0, 1) with BAD_USER_INPUT", () => {
    for (const tolerance of [0, -1e-9, 1, 2, NaN]) {
      expect(domainErrorOf(() => indicator.warmup(defaults, tolerance)).code).toBe(ErrorCode.BAD_USER_INPUT);
    }
  });

  it("computes NaN before the lookback and finite values from it on real data", () => {
    const lookback = indicator.lookback(defaults);
    const outputs = indicator.computeBatch(defaults, series);
    expect(outputs).toHaveLength(indicator.outputs.length);
    for (const column of outputs) {
      expect(column).toBeInstanceOf(Float64Array);
      expect(column).toHaveLength(series.length);
      expect(column.subarray(0, lookback).every(Number.isNaN)).toBe(true);
      expect(column.subarray(lookback).every(Number.isFinite)).toBe(true);
    }
  });

  it("does not mutate its input columns", () => {
    const copy = sliceSeries(series, 0);
    indicator.computeBatch(defaults, copy);
    for (const field of ["openTime", "open", "high", "low", "close", "volume"] as const) {
      const unchanged = Buffer.from(copy[field].buffer).equals(Buffer.from(series[field].buffer));
      expect(`${field} unchanged: ${unchanged}`).toBe(`${field} unchanged: true`);
    }
  });

  it("reuses one output array per stream and counts the bars fed", () => {
    const stream = indicator.createStream(defaults);
    const bar = { open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    const first = stream.update(bar);
    expect(stream.update(bar)).toBe(first);
    expect(first).toHaveLength(indicator.outputs.length);
    expect(stream.count).toBe(2);
  });
});

describe("warm-up sufficiency: values computed from `warmup` bars before a row agree with full history", () => {
  const recursive = INDICATORS.filter((indicator) => Number.isFinite(indicator.warmup(resolveParameters(indicator, {}), 1e-9)));
  const cases = recursive.flatMap((indicator) =>
    PARAMETER_CASES[indicator.id].map((given) => ({ indicator, given, label: `${indicator.id} ${JSON.stringify(given)}` })),
  );

  describe.each(TEST_SERIES)("on %s", (fileName) => {
    const columns = loadSeries(fileName);
    const starts = [0.05, 0.3, 0.55, 0.8].map((fraction) => Math.floor(columns.length * fraction));

    it.each(cases)("$label: within tolerance 1e-6 and 1e-9 on every row after the warm-up, from 4 starts", ({ indicator, given }) => {
      const parameters = resolveParameters(indicator, given);
      const full = indicator.computeBatch(parameters, columns);
      for (const tolerance of [1e-6, 1e-9]) {
        const warmup = indicator.warmup(parameters, tolerance);
        for (const start of starts) {
          expect(worstWarmupRatio(indicator, parameters, columns, full, start, warmup, tolerance)).toBeLessThanOrEqual(1);
        }
      }
    });
  });

  it.each(["ema", "rsi", "macd", "atr"])("%s: the lookback alone is not enough at 1e-9 (the check can fail)", (id) => {
    const indicator = getIndicator(id);
    const parameters = resolveParameters(indicator, {});
    const columns = loadSeries("BTCUSDT-1h.csv");
    const full = indicator.computeBatch(parameters, columns);
    const start = Math.floor(columns.length / 2);
    expect(worstWarmupRatio(indicator, parameters, columns, full, start, indicator.lookback(parameters), 1e-9)).toBeGreaterThan(1);
  });

  it("obv: infinite warm-up, because a later start shifts every value by a constant", () => {
    const columns = loadSeries("BTCUSDT-1h.csv");
    const parameters = resolveParameters(obvDefinition(), {});
    expect(obvDefinition().warmup(parameters, 1e-9)).toBe(Number.POSITIVE_INFINITY);
    const full = obvDefinition().computeBatch(parameters, columns)[0];
    const start = 1000;
    const suffix = obvDefinition().computeBatch(parameters, sliceSeries(columns, start))[0];
    const offset = suffix[0] - full[start];
    expect(offset).not.toBe(0);
    for (let row = start; row < columns.length; row += 97) {
      expect(Math.abs(suffix[row - start] - full[row] - offset)).toBeLessThanOrEqual(1e-9 * Math.abs(full[row]) + 1e-6);
    }
  });

  function obvDefinition(): IndicatorDefinition {
    return getIndicator("obv");
  }
});

describe("cross-parameter rules", () => {
  it("macd rejects fastPeriod >= slowPeriod with BAD_USER_INPUT naming both", () => {
    for (const given of [{ fastPeriod: 26, slowPeriod: 12 }, { fastPeriod: 20, slowPeriod: 20 }]) {
      const error = domainErrorOf(() => resolveParameters(getIndicator("macd"), given));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.message).toContain("fastPeriod");
      expect(error.message).toContain("slowPeriod");
    }
  });

  it("obv takes no parameters and says so", () => {
    const error = domainErrorOf(() => resolveParameters(getIndicator("obv"), { period: 3 }));
    expect(error.message).toBe('Indicator "obv" takes no parameters, but "period" was given.');
  });
});
