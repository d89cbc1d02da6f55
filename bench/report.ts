/**
 * Turns the measurements into the markdown table (for the README) and the JSON record.
 *
 * Throughputs are millions of bars per second over the same 1,000,000 bars (median of N runs).
 * Targets: Candela batch ≥ 50% of the TA-Lib C kernel; Candela streaming ≥ 5× trading-signals
 * streaming.
 */
import type { KernelResults } from "./c-harness";
import type { BenchCase } from "./cases";
import type { Implementation, WorkerResult } from "./worker";

export const BATCH_TARGET = 0.5;
export const STREAM_TARGET = 5;
/** Relative tolerance of the Candela-vs-TA-Lib check (DESIGN: match TA-Lib within 1e-9 relative). */
export const MATCH_TOLERANCE = 1e-9;

/** Everything measured for one indicator. */
export interface CaseReport {
  readonly benchCase: BenchCase;
  /** TA-Lib C, into reused buffers (`reused`) and into fresh output pages per call (`fresh`). */
  readonly kernel?: KernelResults;
  readonly worker?: WorkerResult;
  /** Set when the worker process itself failed. */
  readonly workerError?: string;
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
 * batch and stream (matched by value, so output order and names need not agree).
 */
export function matchesKernel(report: CaseReport): { batch: boolean; stream: boolean } | undefined {
  const last = report.worker?.candelaLastRow;
  const expectedValues = report.kernel?.reused?.lastValues;
  if (!last || !expectedValues) return undefined;
  const covers = (values: number[]): boolean =>
    expectedValues.every((expected) => values.some((value) => close(value, expected)));
  return { batch: covers(last.batch), stream: covers(last.stream) };
}

function throughput(report: CaseReport, implementation: Implementation): number | undefined {
  return report.worker?.measurements[implementation]?.barsPerSecond;
}

/** Candela batch ÷ C kernel, and Candela stream ÷ trading-signals stream. */
export function ratios(report: CaseReport): { batchVsC?: number; streamVsTradingSignals?: number } {
  const batch = throughput(report, "candelaBatch");
  const stream = throughput(report, "candelaStream");
  const c = report.kernel?.reused?.barsPerSecond;
  const tsStream = throughput(report, "tradingSignalsStream");
  return {
    batchVsC: batch !== undefined && c !== undefined ? batch / c : undefined,
    streamVsTradingSignals: stream !== undefined && tsStream !== undefined ? stream / tsStream : undefined,
  };
}

/** The markdown table. */
export function markdownTable(reports: readonly CaseReport[]): string {
  const header = [
    "Indicator",
    "Candela batch",
    "Candela stream",
    "= TA-Lib",
    "TA-Lib C",
    "TA-Lib C, fresh outputs",
    "talib (node)",
    "trading-signals stream",
    "technicalindicators",
    `Candela batch ÷ C (target ≥ ${BATCH_TARGET * 100}%)`,
    `Candela stream ÷ trading-signals (target ≥ ${STREAM_TARGET}×)`,
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? ":---" : i === 3 ? ":---:" : "---:")).join("|")}|`,
  ];
  for (const report of reports) {
    const match = matchesKernel(report);
    const { batchVsC, streamVsTradingSignals } = ratios(report);
    const matchCell =
      match === undefined ? "—" : match.batch && match.stream ? "✓" : `✗ (batch ${match.batch ? "✓" : "✗"}, stream ${match.stream ? "✓" : "✗"})`;
    const batchCell =
      batchVsC === undefined ? "—" : `${(batchVsC * 100).toFixed(0)}% ${batchVsC >= BATCH_TARGET ? "✅" : "❌"}`;
    const streamCell =
      streamVsTradingSignals === undefined
        ? "—"
        : `${streamVsTradingSignals.toFixed(1)}× ${streamVsTradingSignals >= STREAM_TARGET ? "✅" : "❌"}`;
    lines.push(
      `| ${[
        report.benchCase.label,
        mbars(throughput(report, "candelaBatch")),
        mbars(throughput(report, "candelaStream")),
        matchCell,
        mbars(report.kernel?.reused?.barsPerSecond),
        mbars(report.kernel?.fresh?.barsPerSecond),
        mbars(throughput(report, "talib")),
        mbars(throughput(report, "tradingSignalsStream")),
        mbars(throughput(report, "technicalIndicators")),
        batchCell,
        streamCell,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** Errors worth printing under the table (implementations that could not run). */
export function errorLines(reports: readonly CaseReport[]): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.workerError) lines.push(`- ${report.benchCase.label}: worker failed: ${report.workerError}`);
    for (const [implementation, message] of Object.entries(report.worker?.errors ?? {})) {
      lines.push(`- ${report.benchCase.label} / ${implementation}: ${message}`);
    }
    const match = matchesKernel(report);
    if (match && !(match.batch && match.stream)) {
      lines.push(
        `- ${report.benchCase.label}: last-bar outputs differ from TA-Lib C ` +
          `(C ${JSON.stringify(report.kernel?.reused?.lastValues)}, Candela batch ${JSON.stringify(report.worker?.candelaLastRow?.batch)}, ` +
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
    targets: { candelaBatchVsC: BATCH_TARGET, candelaStreamVsTradingSignals: STREAM_TARGET },
    indicators: reports.map((report) => ({
      id: report.benchCase.id,
      label: report.benchCase.label,
      parameters: report.benchCase.parameters,
      taLibC: report.kernel,
      measurements: report.worker?.measurements ?? {},
      errors: { ...(report.worker?.errors ?? {}), ...(report.workerError ? { worker: report.workerError } : {}) },
      matchesTaLib: matchesKernel(report),
      candelaLastRow: report.worker?.candelaLastRow,
      ...ratios(report),
    })),
  };
}
