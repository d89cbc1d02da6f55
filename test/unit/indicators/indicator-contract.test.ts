/**
 * The contract every registered indicator must keep (in the spirit of trading-signals'
 * testIndicatorContract), generated from the registry: complete metadata and declarations (group, output
 * scales, reference, test cases), parameters that resolve and reject bad input, lookback semantics on
 * real data, pure batch computation, streams that reuse their output. Warm-up, stream = batch and
 * reference parity have their own files; all of them run every indicator the registry lists.
 */
import { PriceField } from "../../../src/domain/bar";
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { IndicatorGroup } from "../../../src/indicators/indicator-group";
import { resolveParameters } from "../../../src/indicators/parameters";
import { ReferenceKind } from "../../../src/indicators/reference";
import { INDICATORS, findIndicator, getIndicator } from "../../../src/indicators/registry";
import { ToleranceScale } from "../../../src/indicators/tolerance-scale";
import { loadSeries, sliceSeries } from "../../support/market-data";
import { registryTable } from "./registry-cases";
import { contextOf } from "../../support/series-contexts";

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

describe("indicator registry", () => {
  const ids = INDICATORS.map((indicator) => indicator.id);

  it("lists indicators with unique lower-case ids, each with test cases", () => {
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*$/);
    for (const indicator of INDICATORS) expect(indicator.testCases.length).toBeGreaterThan(0);
    expect(Object.isFrozen(INDICATORS)).toBe(true);
  });

  it("finds indicators by id and returns undefined for unknown ids", () => {
    for (const indicator of INDICATORS) expect(findIndicator(indicator.id)).toBe(indicator);
    expect(findIndicator(ids[0].toUpperCase())).toBeUndefined();
    expect(findIndicator("no-such-indicator")).toBeUndefined();
  });

  it("getIndicator throws NOT_FOUND naming the available indicators", () => {
    const error = domainErrorOf(() => getIndicator("no-such-indicator"));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.message).toBe(`Unknown indicator "no-such-indicator". Available: ${ids.join(", ")}.`);
  });
});

describe.each(registryTable())("indicator contract: %s", (_id, indicator) => {
  const defaults = resolveParameters(indicator, {});
  const series = loadSeries("BTCUSDT-1h.csv");
  const context = contextOf("BTCUSDT-1h.csv");
  const parameterNames = indicator.parameters.map((spec) => spec.name);

  it("has complete metadata: name, description, source, version, group, inputs and described outputs with scales", () => {
    expect(indicator.name.length).toBeGreaterThan(0);
    expect(indicator.description.length).toBeGreaterThan(20);
    expect(indicator.source.length).toBeGreaterThan(10);
    expect(Number.isInteger(indicator.version) && indicator.version >= 1).toBe(true);
    expect(Object.values(IndicatorGroup)).toContain(indicator.group);
    expect(indicator.inputs.length).toBeGreaterThan(0);
    expect(new Set(indicator.inputs).size).toBe(indicator.inputs.length);
    for (const input of indicator.inputs) expect(Object.values(PriceField)).toContain(input);
    expect(indicator.outputs.length).toBeGreaterThan(0);
    expect(new Set(indicator.outputs.map((output) => output.name)).size).toBe(indicator.outputs.length);
    for (const output of indicator.outputs) {
      expect(output.description.length).toBeGreaterThan(0);
      expect(Object.values(ToleranceScale)).toContain(output.scale);
    }
    if (indicator.outputs.length === 1) expect(indicator.outputs[0].name).toBe("value");
    if (indicator.roundingFloor !== undefined) expect(indicator.roundingFloor > 0 && indicator.roundingFloor < 1e-3).toBe(true);
  });

  it("declares a reference that maps every parameter, input and output", () => {
    const reference = indicator.reference;
    if (reference.kind === ReferenceKind.TALIB) {
      expect(indicator.source).toContain(`TA-Lib TA_${reference.function}`);
      expect([...new Set(Object.values(reference.inputs))].sort()).toEqual([...indicator.inputs].sort());
      expect([...new Set(Object.values(reference.options))].sort()).toEqual([...parameterNames].sort());
      expect(reference.outputs).toHaveLength(indicator.outputs.length);
      if (reference.regtest) {
        expect(reference.regtest.outputs).toHaveLength(indicator.outputs.length);
        for (const parameter of Object.values(reference.regtest.parameters)) expect(parameterNames).toContain(parameter);
      }
    } else {
      expect(reference.kind).toBe(ReferenceKind.CITED);
      expect(reference.citation.length).toBeGreaterThan(20);
      expect(reference.cases.length).toBeGreaterThan(0);
      const parameterSets = new Set(reference.cases.map((example) => JSON.stringify(resolveParameters(indicator, example.parameters))));
      if (parameterNames.length > 0) expect(parameterSets.size).toBeGreaterThanOrEqual(2);
      for (const example of reference.cases) {
        expect(example.bars.length).toBeGreaterThan(0);
        expect(Object.keys(example.expected).sort()).toEqual(indicator.outputs.map((output) => output.name).sort());
      }
    }
  });

  it("declares test cases: the defaults first, each valid and distinct", () => {
    expect(indicator.testCases[0]).toEqual({});
    const resolved = indicator.testCases.map((given) => JSON.stringify(resolveParameters(indicator, given)));
    expect(new Set(resolved).size).toBe(resolved.length);
  });

  it("declares parameters with descriptions and defaults within their bounds", () => {
    expect(new Set(parameterNames).size).toBe(indicator.parameters.length);
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
    expect(Object.keys(defaults)).toEqual(parameterNames);
    for (const spec of indicator.parameters) expect(defaults[spec.name]).toBe(spec.defaultValue);
    expect(Object.isFrozen(defaults)).toBe(true);
  });

  it("rejects unknown parameter names with BAD_USER_INPUT listing the valid ones (or saying it takes none)", () => {
    const error = domainErrorOf(() => resolveParameters(indicator, { lenght: 3 }));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    if (parameterNames.length === 0) {
      expect(error.message).toBe(`Indicator "${indicator.id}" takes no parameters, but "lenght" was given.`);
    } else {
      expect(error.message).toContain('"lenght"');
      for (const name of parameterNames) expect(error.message).toContain(name);
    }
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
    for (const given of indicator.testCases) {
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
    const outputs = indicator.computeBatch(defaults, series, context);
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
    indicator.computeBatch(defaults, copy, context);
    for (const field of ["openTime", "open", "high", "low", "close", "volume"] as const) {
      const unchanged = Buffer.from(copy[field].buffer).equals(Buffer.from(series[field].buffer));
      expect(`${field} unchanged: ${unchanged}`).toBe(`${field} unchanged: true`);
    }
  });

  it("reuses one output array per stream and counts the bars fed", () => {
    const stream = indicator.createStream(defaults, context);
    const bar = { openTime: Date.UTC(2024, 0, 1), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    const first = stream.update(bar);
    expect(stream.update(bar)).toBe(first);
    expect(first).toHaveLength(indicator.outputs.length);
    expect(stream.count).toBe(2);
  });

  it("previews into one array of its own, without counting the bar", () => {
    const stream = indicator.createStream(defaults, context);
    const bar = { openTime: Date.UTC(2024, 0, 1), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    const previewed = stream.preview(bar);
    expect(previewed).toHaveLength(indicator.outputs.length);
    expect(stream.count).toBe(0);
    const updated = stream.update(bar);
    expect(updated).not.toBe(previewed);
    expect(stream.preview(bar)).toBe(previewed);
    expect(stream.count).toBe(1);
  });
});
