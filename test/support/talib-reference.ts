import * as talib from "talib";
import type { BarColumns } from "../../src/domain/bar";
import type { IndicatorParameters } from "../../src/indicators/indicator";
import { getIndicator } from "../../src/indicators/registry";

/** TA-Lib's outputs for one of our indicators, as full-length columns (NaN before `begIndex`). */
export interface Reference {
  readonly begIndex: number;
  readonly outputs: Float64Array[];
}

interface Mapping {
  readonly name: string;
  /** TA-Lib inputs and options from our parameters. */
  readonly arguments: (p: IndicatorParameters, c: Record<string, number[]>) => Record<string, number | number[]>;
  /** TA-Lib's output names in the order of our outputs. */
  readonly outputs: readonly string[];
}

const SMA_TYPE = 0;

const MAPPINGS: Readonly<Record<string, Mapping>> = {
  sma: { name: "SMA", arguments: (p, c) => ({ inReal: c.close, optInTimePeriod: p.period }), outputs: ["outReal"] },
  ema: { name: "EMA", arguments: (p, c) => ({ inReal: c.close, optInTimePeriod: p.period }), outputs: ["outReal"] },
  wma: { name: "WMA", arguments: (p, c) => ({ inReal: c.close, optInTimePeriod: p.period }), outputs: ["outReal"] },
  rsi: { name: "RSI", arguments: (p, c) => ({ inReal: c.close, optInTimePeriod: p.period }), outputs: ["outReal"] },
  roc: { name: "ROC", arguments: (p, c) => ({ inReal: c.close, optInTimePeriod: p.period }), outputs: ["outReal"] },
  obv: { name: "OBV", arguments: (_p, c) => ({ inReal: c.close, volume: c.volume }), outputs: ["outReal"] },
  atr: {
    name: "ATR",
    arguments: (p, c) => ({ high: c.high, low: c.low, close: c.close, optInTimePeriod: p.period }),
    outputs: ["outReal"],
  },
  macd: {
    name: "MACD",
    arguments: (p, c) => ({
      inReal: c.close,
      optInFastPeriod: p.fastPeriod,
      optInSlowPeriod: p.slowPeriod,
      optInSignalPeriod: p.signalPeriod,
    }),
    outputs: ["outMACD", "outMACDSignal", "outMACDHist"],
  },
  bbands: {
    name: "BBANDS",
    arguments: (p, c) => ({
      inReal: c.close,
      optInTimePeriod: p.period,
      optInNbDevUp: p.standardDeviations,
      optInNbDevDn: p.standardDeviations,
      optInMAType: SMA_TYPE,
    }),
    outputs: ["outRealUpperBand", "outRealMiddleBand", "outRealLowerBand"],
  },
  stoch: {
    name: "STOCH",
    arguments: (p, c) => ({
      high: c.high,
      low: c.low,
      close: c.close,
      optInFastK_Period: p.fastKPeriod,
      optInSlowK_Period: p.slowKPeriod,
      optInSlowK_MAType: SMA_TYPE,
      optInSlowD_Period: p.slowDPeriod,
      optInSlowD_MAType: SMA_TYPE,
    }),
    outputs: ["outSlowK", "outSlowD"],
  },
};

const arrayCache = new WeakMap<BarColumns, Record<string, number[]>>();

function asArrays(columns: BarColumns): Record<string, number[]> {
  let arrays = arrayCache.get(columns);
  if (!arrays) {
    arrays = {
      high: Array.from(columns.high),
      low: Array.from(columns.low),
      close: Array.from(columns.close),
      volume: Array.from(columns.volume),
    };
    arrayCache.set(columns, arrays);
  }
  return arrays;
}

/**
 * Runs the native TA-Lib function matching indicator `id` over the whole series.
 * @throws Error when TA-Lib reports an error or the id has no mapping
 */
export function talibReference(id: string, parameters: IndicatorParameters, columns: BarColumns): Reference {
  const mapping = MAPPINGS[id];
  if (!mapping) throw new Error(`no TA-Lib mapping for ${id}`);
  const result = talib.execute({
    name: mapping.name,
    startIdx: 0,
    endIdx: columns.length - 1,
    ...mapping.arguments(parameters, asArrays(columns)),
  });
  if (result.error) throw new Error(`TA-Lib ${mapping.name}: ${result.error}`);
  const outputs = mapping.outputs.map((name) => {
    const column = new Float64Array(columns.length).fill(NaN);
    column.set(result.result[name], result.begIndex);
    return column;
  });
  return { begIndex: result.begIndex, outputs };
}

/** One output column as the GraphQL API returns it: values aligned with the requested rows, null = undefined. */
export interface ApiOutput {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/**
 * Compares API output columns (matched to the indicator's outputs by name) for rows
 * [fromRow, fromRow + values.length) of `columns` with TA-Lib over the whole series (the full-history
 * values), within 1e-9 relative.
 * @returns per output, how many rows differ (0 everywhere when Candela agrees)
 */
export function mismatchesAgainstTalib(
  id: string,
  parameters: IndicatorParameters,
  columns: BarColumns,
  fromRow: number,
  outputs: readonly ApiOutput[],
): { indicator: string; output: string; mismatched: number }[] {
  const reference = talibReference(id, parameters, columns);
  const outputNames = getIndicator(id).outputs.map((output) => output.name);
  return outputs.map((output) => {
    const expected = reference.outputs[outputNames.indexOf(output.name)];
    const mismatched = output.values.filter((value, row) => {
      const wanted = expected[fromRow + row];
      if (value === null) return !Number.isNaN(wanted);
      return !(Math.abs(value - wanted) <= 1e-9 * Math.max(1, Math.abs(wanted)));
    }).length;
    return { indicator: id, output: output.name, mismatched };
  });
}
