/**
 * Combines repeated rounds of one bench case. Each round is a fresh C harness run and a fresh worker
 * process; JIT decisions (inlining, code placement) make one process's figures vary up to 2×, for the
 * peers as much as for Candela, so the table shows, per implementation, the round with the median
 * throughput rather than whichever process happened to run.
 */
import type { KernelResult, KernelResults } from "./c-harness";
import type { Measurement } from "./timing";
import { IMPLEMENTATIONS, type Implementation, type WorkerResult } from "./worker";

/** The element with the median `barsPerSecond` (the lower middle one for an even count); undefined when empty. */
export function medianByThroughput<T extends { readonly barsPerSecond: number }>(items: readonly T[]): T | undefined {
  if (items.length === 0) return undefined;
  const sorted = [...items].sort((a, b) => a.barsPerSecond - b.barsPerSecond);
  return sorted[(sorted.length - 1) >> 1];
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/** The median round of each C kernel mode; undefined when no round produced any. */
export function medianKernelRounds(rounds: readonly (KernelResults | undefined)[]): KernelResults | undefined {
  const reused = medianByThroughput<KernelResult>(defined(rounds.map((round) => round?.reused)));
  const fresh = medianByThroughput<KernelResult>(defined(rounds.map((round) => round?.fresh)));
  return reused === undefined && fresh === undefined ? undefined : { reused, fresh };
}

/**
 * One worker result from several rounds of the same case: the median round per implementation, every
 * error any round reported, the first last-row outputs any round reported (they are deterministic). An
 * implementation measured in fewer rounds (a slow peer, see worker.ts SLOW_PEERS) gets the median of those.
 * @throws Error when `rounds` is empty
 */
export function medianWorkerRounds(rounds: readonly WorkerResult[]): WorkerResult {
  if (rounds.length === 0) throw new Error("no worker rounds to combine");
  const measurements: Partial<Record<Implementation, Measurement>> = {};
  for (const implementation of IMPLEMENTATIONS) {
    const median = medianByThroughput(defined(rounds.map((round) => round.measurements[implementation])));
    if (median !== undefined) measurements[implementation] = median;
  }
  return {
    id: rounds[0].id,
    measurements,
    errors: Object.assign({}, ...rounds.map((round) => round.errors)),
    candelaLastRow: rounds.find((round) => round.candelaLastRow !== undefined)?.candelaLastRow,
    sink: rounds.reduce((sum, round) => sum + round.sink, 0),
  };
}
