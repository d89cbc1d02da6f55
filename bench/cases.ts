/**
 * The indicators the throughput benchmark measures: every indicator in the registry
 * (src/indicators/registry.ts `INDICATORS`), in its order, with its default parameters, so an indicator
 * joins the table (and the full-library pass) when it joins the registry, without editing the bench.
 *
 * - TA-Lib C column: from the indicator's declared `reference` when it is a TA-Lib function (function name,
 *   which of our columns feeds each input, options from our parameters plus the fixed ones), timed by the
 *   generic C harness (bench/c/talib-kernels.c); "—" for indicators without one (a cited reference).
 * - talib (node) column: the same call through the `talib` package.
 * - trading-signals and technicalindicators columns: only where bench/peers.ts maps the id to that
 *   library's class (their APIs are not uniform).
 *
 * Every implementation gets the same series context (1m bars on an always-open calendar), which the
 * session-dependent indicators need and the others ignore.
 */
import { Timeframe } from "../src/domain/timeframe";
import { ALWAYS_OPEN } from "../src/domain/trading-calendar";
import type { IndicatorDefinition, IndicatorParameters } from "../src/indicators/indicator";
import { resolveParameters } from "../src/indicators/parameters";
import { ReferenceKind } from "../src/indicators/reference";
import { INDICATORS } from "../src/indicators/registry";
import type { SeriesContext } from "../src/indicators/series-context";
import type { KernelCall } from "./c-harness";

/** The bench series' context: 1,000,000 consecutive 1m bars, a market that never closes. */
export const BENCH_CONTEXT: SeriesContext = { timeframe: Timeframe.M1, calendar: ALWAYS_OPEN };

/**
 * The ten indicators the bench measured before it covered the registry; they keep the 5× streaming target
 * they were built to (the indicators added since aim at trading-signals' speed, 1×).
 */
export const FIRST_TEN: ReadonlySet<string> = new Set(["sma", "ema", "wma", "rsi", "macd", "bbands", "atr", "stoch", "obv", "roc"]);

/** One indicator configuration measured across all implementations. */
export interface BenchCase {
  /** Candela's registry id. */
  readonly id: string;
  /** Row label in the table, e.g. "MACD 12/26/9" (id and default parameter values). */
  readonly label: string;
  /** The default parameters, resolved. */
  readonly parameters: IndicatorParameters;
  /** The TA-Lib function the indicator reproduces, with the same parameters; absent when it has none. */
  readonly kernel?: KernelCall;
}

/** The TA-Lib call an indicator's reference declares, with `parameters` mapped onto its options. */
export function kernelCall(definition: IndicatorDefinition, parameters: IndicatorParameters): KernelCall | undefined {
  const reference = definition.reference;
  if (reference.kind !== ReferenceKind.TALIB) return undefined;
  const options: Record<string, number> = {};
  for (const [option, parameter] of Object.entries(reference.options)) {
    const value = parameters[parameter];
    if (value === undefined) throw new Error(`${definition.id}: TA-Lib option ${option} maps to unknown parameter "${parameter}"`);
    options[option] = value;
  }
  Object.assign(options, reference.fixedOptions);
  const inputs: Record<string, string> = {};
  for (const [input, field] of Object.entries(reference.inputs)) if (field !== undefined) inputs[input] = field;
  return { function: reference.function, inputs, options, outputs: reference.outputs };
}

/** The case of one registered indicator (default parameters). */
export function benchCase(definition: IndicatorDefinition): BenchCase {
  const parameters = resolveParameters(definition, {});
  const values = Object.values(parameters);
  const label = values.length === 0 ? definition.id.toUpperCase() : `${definition.id.toUpperCase()} ${values.join("/")}`;
  return { id: definition.id, label, parameters, kernel: kernelCall(definition, parameters) };
}

/** Every registered indicator's case, in registry order. */
export const CASES: readonly BenchCase[] = INDICATORS.map(benchCase);

/**
 * The cases selected by `--indicators a,b,c` (ids); all when `ids` is undefined.
 * @throws Error naming the unknown ids
 */
export function selectCases(ids: readonly string[] | undefined): readonly BenchCase[] {
  if (ids === undefined) return CASES;
  const unknown = ids.filter((id) => !CASES.some((each) => each.id === id));
  if (unknown.length > 0) throw new Error(`unknown indicator(s) ${unknown.join(", ")}; registered: ${CASES.map((each) => each.id).join(", ")}`);
  return CASES.filter((each) => ids.includes(each.id));
}
