/**
 * Indicators applied to another indicator's output (composed features): checked against TA-Lib run on TA-Lib's own
 * output (EMA of ROCP, SMA of RSI, EMA of SMA of RSI), stream = batch bit for bit, preview = update, checkpoints, the
 * lookback and warm-up sums, and the single-input rule.
 */
import * as talib from "talib";
import { captureState, restoreState } from "../../../src/domain/object-state";
import { barAt } from "../../../src/domain/bar";
import { composeIndicator, type ComputationOutput } from "../../../src/indicators/composed-indicator";
import type { IndicatorComputation } from "../../../src/indicators/indicator";
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";
import { loadSeries, sliceSeries } from "../../support/market-data";
import { contextOf } from "../../support/series-contexts";

const columns = loadSeries("BTCUSDT-1h.csv");
const context = contextOf("BTCUSDT-1h.csv");

/** TA-Lib function `name` over `input` (a plain array), as a full-length column aligned with `input` (NaN before begIndex). */
function talibOver(name: string, input: number[], options: Record<string, number>): number[] {
  const result = talib.execute({ name, startIdx: 0, endIdx: input.length - 1, inReal: input, ...options });
  if (result.error) throw new Error(result.error);
  return [...new Array<number>(result.begIndex).fill(NaN), ...result.result.outReal];
}

/** The defined tail of a TA-Lib column and how many undefined rows precede it. */
function definedTail(column: number[]): [number, number[]] {
  const first = column.findIndex((value) => !Number.isNaN(value));
  return [first, column.slice(first)];
}

/** `outer` (resolved with `outerGiven`) applied to `inner`'s only output (resolved with `innerGiven`). */
function compose(outer: string, outerGiven: Record<string, number>, inner: IndicatorComputation, innerParameters: Record<string, number>) {
  const input: ComputationOutput = { computation: inner, parameters: innerParameters, output: 0 };
  const definition = getIndicator(outer);
  return { computation: composeIndicator(definition, input), parameters: resolveParameters(definition, outerGiven) };
}

const close = Array.from(columns.close);
const rsi = getIndicator("rsi");
const rsi14 = resolveParameters(rsi, { period: 14 });

describe("composed indicators against TA-Lib run on TA-Lib's output", () => {
  it("EMA 10 of the one-bar return equals TA_EMA over TA_ROCP, bit for bit, with lookback 1 + 9", () => {
    const returns = getIndicator("return");
    const { computation, parameters } = compose("ema", { period: 10 }, returns, resolveParameters(returns, { period: 1 }));
    const [skipped, rocp] = definedTail(talibOver("ROCP", close, { optInTimePeriod: 1 }));
    const expected = [...new Array<number>(skipped).fill(NaN), ...talibOver("EMA", rocp, { optInTimePeriod: 10 })];
    expect(computation.lookback(parameters)).toBe(10);
    expect(Array.from(computation.computeBatch(parameters, columns, context)[0])).toEqual(expected);
  });

  it("SMA 20 of RSI 14, and EMA 5 of that (nested), equal TA-Lib's chain bit for bit", () => {
    const [rsiSkipped, rsiValues] = definedTail(talibOver("RSI", close, { optInTimePeriod: 14 }));
    const smaOfRsi = talibOver("SMA", rsiValues, { optInTimePeriod: 20 });
    const [smaSkipped, smaValues] = definedTail(smaOfRsi);
    const emaOfSma = talibOver("EMA", smaValues, { optInTimePeriod: 5 });

    const sma = compose("sma", { period: 20 }, rsi, rsi14);
    expect(Array.from(sma.computation.computeBatch(sma.parameters, columns, context)[0])).toEqual([...new Array<number>(rsiSkipped).fill(NaN), ...smaOfRsi]);

    const ema = compose("ema", { period: 5 }, sma.computation, sma.parameters);
    expect(ema.computation.lookback(ema.parameters)).toBe(14 + 19 + 4);
    expect(Array.from(ema.computation.computeBatch(ema.parameters, columns, context)[0])).toEqual([
      ...new Array<number>(rsiSkipped + smaSkipped).fill(NaN),
      ...emaOfSma,
    ]);
  });

  it("the z-score of RSI 14 over 100 bars equals a two-pass z-score of TA-Lib's RSI", () => {
    const [skipped, rsiValues] = definedTail(talibOver("RSI", close, { optInTimePeriod: 14 }));
    const { computation, parameters } = compose("zscore", { period: 100 }, rsi, rsi14);
    const values = computation.computeBatch(parameters, columns, context)[0];
    let checked = 0;
    for (let row = 99; row < rsiValues.length; row += 97) {
      const window = rsiValues.slice(row - 99, row + 1);
      const mean = window.reduce((sum, value) => sum + value, 0) / 100;
      const deviation = Math.sqrt(window.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 100);
      expect(values[skipped + row]).toBeCloseTo((rsiValues[row] - mean) / deviation, 10);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    expect(values.slice(0, skipped + 99).every(Number.isNaN)).toBe(true);
  });
});

describe("composed indicators keep the indicator contract", () => {
  const zscoreOfRsi = compose("zscore", { period: 100 }, rsi, rsi14);
  const nested = compose("ema", { period: 30 }, zscoreOfRsi.computation, zscoreOfRsi.parameters);

  it.each([
    ["zscore(rsi)", zscoreOfRsi],
    ["ema(zscore(rsi))", nested],
  ])("%s: stream = batch bit for bit, preview = update, a restored checkpoint continues identically", (_label, { computation, parameters }) => {
    const batch = computation.computeBatch(parameters, columns, context)[0];
    const stream = computation.createStream(parameters, context);
    const resumed = computation.createStream(parameters, context);
    const half = Math.floor(columns.length / 2);
    for (let row = 0; row < columns.length; row++) {
      const bar = barAt(columns, row);
      const previewed = stream.preview(bar)[0];
      const value = stream.update(bar)[0];
      expect(Object.is(previewed, value) && Object.is(value, batch[row])).toBe(true);
      if (row === half) restoreState(resumed, captureState(stream));
      if (row > half) expect(Object.is(resumed.update(bar)[0], value)).toBe(true);
    }
    expect(stream.count).toBe(columns.length);
  });

  it("warm-up adds up along the chain, and a late start agrees with full history within 1e-9 after it", () => {
    const { computation, parameters } = nested;
    const warmup = computation.warmup(parameters, 1e-9);
    expect(warmup).toBe(rsi.warmup(rsi14, 1e-9) + getIndicator("zscore").warmup({ period: 100 }, 1e-9) + getIndicator("ema").warmup({ period: 30 }, 1e-9));
    const full = computation.computeBatch(parameters, columns, context)[0];
    const start = 1_000;
    const late = computation.computeBatch(parameters, sliceSeries(columns, start), context)[0];
    for (let row = warmup; row < late.length; row++) {
      expect(Math.abs(late[row] - full[start + row])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(full[start + row])));
    }
  });

  it("only indicators that read the close alone take another output as input", () => {
    expect(() => compose("atr", {}, rsi, rsi14)).toThrow('Indicator "atr" reads high, low, close: only indicators that read the close alone');
  });

  it("writes NaN everywhere when the series is shorter than the input's lookback", () => {
    const { computation, parameters } = zscoreOfRsi;
    const outputs = [new Float64Array(12).fill(7)];
    computation.computeBatchInto(parameters, sliceSeries(columns, 0, 10), outputs, context);
    expect(Array.from(outputs[0].subarray(0, 10)).every(Number.isNaN)).toBe(true);
    expect(outputs[0][10]).toBe(7);
  });
});
