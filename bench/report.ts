/**
 * Turns the measurements into the markdown table (for the README) and the JSON record.
 *
 * Throughputs are millions of bars per second over the same 1,000,000 bars (median of N runs).
 * Targets: Candela batch ≥ 50% of the TA-Lib C kernel, measured like for like: `computeBatchInto` into
 * reused buffers against the C kernel into preallocated buffers (the target ratio), and, as a second
 * ratio, `computeBatch` (new outputs per call) against the C kernel into fresh output pages. Candela
 * streaming ≥ 5× trading-signals streaming for the first ten indicators and ≥ 1× (at least its speed) for
 * those added since, both fed each bar just written, in cache, as live ingest does (the target ratio); beside it the same streams fed from a million prebuilt bar objects in memory,
 * where the stream ceiling (a loop only reading those objects' fields) bounds what any implementation
 * can reach.
 */
import type { KernelResults } from "./c-harness";
import { FIRST_TEN, type BenchCase } from "./cases";
import type { Implementation, WorkerResult } from "./worker";

export const BATCH_TARGET = 0.5;
/** Streaming target of the first ten indicators (bench/cases.ts FIRST_TEN). */
export const STREAM_TARGET = 5;
/** Streaming target of the indicators added since: at least trading-signals' speed. */
export const NEW_STREAM_TARGET = 1;

/** The streaming target (× trading-signals, bar in cache) of one indicator. */
export function streamTarget(id: string): number {
  return FIRST_TEN.has(id) ? STREAM_TARGET : NEW_STREAM_TARGET;
}
/** Relative tolerance of the Candela-vs-TA-Lib check (DESIGN: match TA-Lib within 1e-9 relative). */
export const MATCH_TOLERANCE = 1e-9;

/** Everything measured for one indicator. */
export interface CaseReport {
  readonly benchCase: BenchCase;
  /** TA-Lib C, into reused buffers (`reused`) and into fresh output pages per call (`fresh`). */
  readonly kernel?: KernelResults;
  /** Set when the C harness failed for this indicator. */
  readonly kernelError?: string;
  readonly worker?: WorkerResult;
  /** Set when the worker process itself failed. */
  readonly workerError?: string;
  /** Rounds measured (fresh C harness and worker processes each). */
  readonly rounds: number;
}

function mbars(barsPerSecond: number | undefined): string {
  if (barsPerSecond === undefined || !Number.isFinite(barsPerSecond)) return "—";
  const m = barsPerSecond / 1e6;
  return m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m >= 1 ? m.toFixed(2) : m.toFixed(3);
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= MATCH_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Whether every TA-Lib output on the last bar appears among Candela's outputs on the last bar, for
 * batch (computeBatch and computeBatchInto) and stream (matched by value, so output order and names
 * need not agree).
 */
export function matchesKernel(report: CaseReport): { batch: boolean; stream: boolean } | undefined {
  const last = report.worker?.candelaLastRow;
  const expectedValues = report.kernel?.reused?.lastValues;
  if (!last || !expectedValues) return undefined;
  const covers = (values: number[]): boolean =>
    expectedValues.every((expected) => values.some((value) => close(value, expected)));
  return { batch: covers(last.batch) && covers(last.batchInto), stream: covers(last.stream) };
}

function throughput(report: CaseReport, implementation: Implementation): number | undefined {
  return report.worker?.measurements[implementation]?.barsPerSecond;
}

function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  return numerator !== undefined && denominator !== undefined ? numerator / denominator : undefined;
}

/**
 * The like-for-like ratios: batch vs C (reused and fresh outputs); stream vs trading-signals with the bar in
 * cache (the target) and from memory, and the memory ceiling vs trading-signals.
 */
export function ratios(report: CaseReport): {
  batchIntoVsC?: number;
  batchVsFreshC?: number;
  streamVsTradingSignals?: number;
  streamFromMemoryVsTradingSignals?: number;
  ceilingVsTradingSignals?: number;
} {
  const tsStream = throughput(report, "tradingSignalsStream");
  return {
    batchIntoVsC: ratio(throughput(report, "candelaBatchInto"), report.kernel?.reused?.barsPerSecond),
    batchVsFreshC: ratio(throughput(report, "candelaBatch"), report.kernel?.fresh?.barsPerSecond),
    streamVsTradingSignals: ratio(throughput(report, "candelaStreamHot"), throughput(report, "tradingSignalsStreamHot")),
    streamFromMemoryVsTradingSignals: ratio(throughput(report, "candelaStream"), tsStream),
    ceilingVsTradingSignals: ratio(throughput(report, "streamCeiling"), tsStream),
  };
}

function percentCell(value: number | undefined, target?: number): string {
  if (value === undefined) return "—";
  const percent = `${(value * 100).toFixed(0)}%`;
  return target === undefined ? percent : `${percent} ${value >= target ? "✅" : "❌"}`;
}

function timesCell(value: number | undefined, target?: number): string {
  if (value === undefined) return "—";
  const times = `${value.toFixed(1)}×`;
  return target === undefined ? times : `${times} ${value >= target ? "✅" : "❌"}`;
}

/** The markdown table. */
export function markdownTable(reports: readonly CaseReport[]): string {
  const header = [
    "Indicator",
    "Candela batch, reused buffers",
    "TA-Lib C, preallocated",
    `reused ÷ C (target ≥ ${BATCH_TARGET * 100}%)`,
    "Candela batch, fresh outputs",
    "TA-Lib C, fresh outputs",
    "fresh ÷ C fresh",
    "= TA-Lib",
    "Candela stream, bar in cache",
    "trading-signals stream, bar in cache",
    `stream ÷ trading-signals (target ≥ ${STREAM_TARGET}× first ten, ≥ ${NEW_STREAM_TARGET}× others)`,
    "Candela stream, bars from memory",
    "trading-signals stream, bars from memory",
    "from memory: stream ÷ trading-signals",
    "from memory: ceiling ÷ trading-signals",
    "talib (node)",
    "technicalindicators",
  ];
  const matchColumn = header.indexOf("= TA-Lib");
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? ":---" : i === matchColumn ? ":---:" : "---:")).join("|")}|`,
  ];
  for (const report of reports) {
    const match = matchesKernel(report);
    const r = ratios(report);
    const matchCell =
      match === undefined ? "—" : match.batch && match.stream ? "✓" : `✗ (batch ${match.batch ? "✓" : "✗"}, stream ${match.stream ? "✓" : "✗"})`;
    lines.push(
      `| ${[
        report.benchCase.label,
        mbars(throughput(report, "candelaBatchInto")),
        mbars(report.kernel?.reused?.barsPerSecond),
        percentCell(r.batchIntoVsC, BATCH_TARGET),
        mbars(throughput(report, "candelaBatch")),
        mbars(report.kernel?.fresh?.barsPerSecond),
        percentCell(r.batchVsFreshC),
        matchCell,
        mbars(throughput(report, "candelaStreamHot")),
        mbars(throughput(report, "tradingSignalsStreamHot")),
        timesCell(r.streamVsTradingSignals, streamTarget(report.benchCase.id)),
        mbars(throughput(report, "candelaStream")),
        mbars(throughput(report, "tradingSignalsStream")),
        timesCell(r.streamFromMemoryVsTradingSignals),
        timesCell(r.ceilingVsTradingSignals),
        mbars(throughput(report, "talib")),
        mbars(throughput(report, "technicalIndicators")),
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** Errors worth printing under the table (implementations that could not run). */
export function errorLines(reports: readonly CaseReport[]): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.kernelError) lines.push(`- ${report.benchCase.label}: TA-Lib C harness failed: ${report.kernelError}`);
    if (report.workerError) lines.push(`- ${report.benchCase.label}: worker failed: ${report.workerError}`);
    for (const [implementation, message] of Object.entries(report.worker?.errors ?? {})) {
      lines.push(`- ${report.benchCase.label} / ${implementation}: ${message}`);
    }
    const match = matchesKernel(report);
    if (match && !(match.batch && match.stream)) {
      lines.push(
        `- ${report.benchCase.label}: last-bar outputs differ from TA-Lib C ` +
          `(C ${JSON.stringify(report.kernel?.reused?.lastValues)}, Candela batch ${JSON.stringify(report.worker?.candelaLastRow?.batch)}, ` +
          `batch into ${JSON.stringify(report.worker?.candelaLastRow?.batchInto)}, ` +
          `stream ${JSON.stringify(report.worker?.candelaLastRow?.stream)})`,
      );
    }
  }
  return lines;
}

/** The JSON record written next to the build output. */
export function jsonReport(reports: readonly CaseReport[], meta: Record<string, unknown>): unknown {
  return {
    ...meta,
    unit: "bars per second (median of runs)",
    targets: {
      candelaBatchIntoVsC: BATCH_TARGET,
      candelaStreamVsTradingSignals: { firstTen: STREAM_TARGET, others: NEW_STREAM_TARGET },
    },
    targetSummary: targetSummary(reports),
    indicators: reports.map((report) => ({
      id: report.benchCase.id,
      label: report.benchCase.label,
      parameters: report.benchCase.parameters,
      rounds: report.rounds,
      taLibCall: report.benchCase.kernel,
      taLibC: report.kernel,
      measurements: report.worker?.measurements ?? {},
      errors: {
        ...(report.worker?.errors ?? {}),
        ...(report.workerError ? { worker: report.workerError } : {}),
        ...(report.kernelError ? { taLibC: report.kernelError } : {}),
      },
      streamTarget: streamTarget(report.benchCase.id),
      matchesTaLib: matchesKernel(report),
      candelaLastRow: report.worker?.candelaLastRow,
      ...ratios(report),
    })),
  };
}

/** Which indicators meet their target, which miss it (with the ratio), for one of the two targets. */
export interface TargetTally {
  readonly measured: number;
  readonly met: readonly string[];
  readonly missed: readonly { readonly label: string; readonly ratio: number; readonly target: number }[];
}

/** The batch (≥ 50% of C) and streaming (≥ 5× / ≥ 1× trading-signals) targets over all rows. */
export function targetSummary(reports: readonly CaseReport[]): { batch: TargetTally; stream: TargetTally } {
  const tally = (pick: (report: CaseReport) => { ratio?: number; target: number }): TargetTally => {
    const met: string[] = [];
    const missed: { label: string; ratio: number; target: number }[] = [];
    for (const report of reports) {
      const { ratio, target } = pick(report);
      if (ratio === undefined || !Number.isFinite(ratio)) continue;
      if (ratio >= target) met.push(report.benchCase.label);
      else missed.push({ label: report.benchCase.label, ratio, target });
    }
    return { measured: met.length + missed.length, met, missed };
  };
  return {
    batch: tally((report) => ({ ratio: ratios(report).batchIntoVsC, target: BATCH_TARGET })),
    stream: tally((report) => ({ ratio: ratios(report).streamVsTradingSignals, target: streamTarget(report.benchCase.id) })),
  };
}

/** The summary as sentences, e.g. for the README. */
export function targetLines(reports: readonly CaseReport[]): string[] {
  const { batch, stream } = targetSummary(reports);
  const misses = (tally: TargetTally, format: (ratio: number) => string): string =>
    tally.missed.length === 0 ? "" : `; missed by ${tally.missed.map((miss) => `${miss.label} (${format(miss.ratio)})`).join(", ")}`;
  return [
    `Batch ≥ ${BATCH_TARGET * 100}% of TA-Lib C: met by ${batch.met.length} of ${batch.measured} indicators with a TA-Lib function${misses(batch, (ratio) => `${(ratio * 100).toFixed(0)}%`)}.`,
    `Streaming vs trading-signals (bar in cache; ≥ ${STREAM_TARGET}× for the first ten, ≥ ${NEW_STREAM_TARGET}× for the others): met by ${stream.met.length} of ${stream.measured} indicators trading-signals has${misses(stream, (ratio) => `${ratio.toFixed(2)}×`)}.`,
  ];
}
