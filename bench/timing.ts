/**
 * Timing helper: warm up, then take the median wall time of N runs with process.hrtime.bigint.
 *
 * Each measured function returns a number derived from its output (e.g. the last value of an output
 * column); those numbers are accumulated into an exported sink so the optimizer cannot remove the work.
 */

/** How many untimed and timed runs to do. */
export interface RunPlan {
  readonly warmups: number;
  readonly runs: number;
}

/** One measurement over `bars` bars. */
export interface Measurement {
  readonly bars: number;
  readonly runs: number;
  readonly medianNs: number;
  readonly minNs: number;
  /** bars / median seconds. */
  readonly barsPerSecond: number;
  /** The value the last run returned (e.g. the final bar's output), for cross-checks. */
  readonly lastValue: number;
}

/** Accumulates every measured function's return value; read at the end of the run. */
export const sink = { value: 0 };

/** What a self-timed run reports: the value it computed and the nanoseconds of the part it timed. */
export interface TimedRun {
  readonly value: number;
  readonly elapsedNs: number;
}

/** Runs `fn` `plan.warmups` times untimed, then `plan.runs` times timed; reports the median. */
export function measure(bars: number, plan: RunPlan, fn: () => number): Measurement {
  return measureSelfTimed(bars, plan, () => {
    const t0 = process.hrtime.bigint();
    const value = fn();
    return { value, elapsedNs: Number(process.hrtime.bigint() - t0) };
  });
}

/**
 * Like `measure`, for work that times itself (when only part of each run counts, e.g. the updates of a
 * stream but not the writing of the bars it is fed): the median of the reported `elapsedNs`.
 */
export function measureSelfTimed(bars: number, plan: RunPlan, fn: () => TimedRun): Measurement {
  let lastValue = NaN;
  for (let w = 0; w < plan.warmups; w++) sink.value += fn().value;
  const samples: number[] = [];
  for (let r = 0; r < plan.runs; r++) {
    const run = fn();
    lastValue = run.value;
    sink.value += lastValue;
    samples.push(run.elapsedNs);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianNs = samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
  return {
    bars,
    runs: plan.runs,
    medianNs,
    minNs: samples[0],
    barsPerSecond: bars / (medianNs / 1e9),
    lastValue,
  };
}
