/**
 * Fixed-rate HTTP load for the latestFeatures benchmark: POSTs one JSON body at a total rate over a number of
 * connections and reports latency percentiles.
 *
 * Two generators, the same figures from each:
 * - `hey` (Go; Debian package `hey`), used when it is on the PATH: it runs outside Node on its own threads,
 *   so it adds little latency of its own. `-q` is a rate per connection, so the total rate is split evenly.
 * - autocannon (Node, an npm dev dependency) otherwise. On the 2-core development machine it adds 5–8 ms
 *   at p99 against a bare Node server answering a constant, and far more with larger responses, so its
 *   tail says as much about the generator as about the server.
 */
import { spawnSync } from "node:child_process";
import autocannon from "autocannon";

/** What one load run measured. Latencies in ms. */
export interface LoadResult {
  readonly generator: "hey" | "autocannon";
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Responses with a status other than 200, plus connection errors. */
  readonly failures: number;
}

/** A fixed-rate load: `rate` requests per second in total over `connections`, for `seconds`. */
export interface LoadPlan {
  readonly url: string;
  readonly body: string;
  readonly rate: number;
  readonly connections: number;
  readonly seconds: number;
}

/** True when the `hey` command is installed. */
export function heyAvailable(): boolean {
  return spawnSync("hey", ["-h"], { encoding: "utf8" }).error === undefined;
}

/** Sends `count` requests as fast as `connections` allow, untimed (fills caches and JIT before measuring). */
export async function warmUp(url: string, body: string, count: number): Promise<void> {
  await autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, amount: count, connections: 10 });
}

/** Runs the plan with `hey` when installed, else with autocannon. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return heyAvailable() ? runHey(plan) : runAutocannon(plan);
}

function runHey(plan: LoadPlan): LoadResult {
  const perConnection = plan.rate / plan.connections;
  const run = spawnSync(
    "hey",
    ["-z", `${plan.seconds}s`, "-c", String(plan.connections), "-q", String(perConnection), "-m", "POST", "-T", "application/json", "-d", plan.body, plan.url],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (run.status !== 0) throw new Error(`hey failed: ${run.stderr || run.stdout}`);
  const out = run.stdout;
  const seconds = (pattern: RegExp): number => {
    const match = pattern.exec(out);
    if (match === null) throw new Error(`unexpected hey output, no ${pattern}:\n${out}`);
    return Number(match[1]) * 1_000;
  };
  const statuses = [...out.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)];
  const ok = statuses.filter(([, status]) => status === "200").reduce((sum, [, , count]) => sum + Number(count), 0);
  const all = statuses.reduce((sum, [, , count]) => sum + Number(count), 0);
  // Connection errors are listed, with counts, after "Error distribution:" (absent when there were none).
  const errorSection = out.split("Error distribution:")[1] ?? "";
  const errors = [...errorSection.matchAll(/\[(\d+)\]/g)].reduce((sum, [, count]) => sum + Number(count), 0);
  return {
    generator: "hey",
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: seconds(/50% in ([\d.]+) secs/),
    p99: seconds(/99% in ([\d.]+) secs/),
    max: seconds(/Slowest:\s+([\d.]+) secs/),
    failures: all - ok + errors,
  };
}

async function runAutocannon(plan: LoadPlan): Promise<LoadResult> {
  const result = await autocannon({
    url: plan.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: plan.body,
    duration: plan.seconds,
    connections: plan.connections,
    overallRate: plan.rate,
  });
  const { p50, p99, max } = result.latency;
  return { generator: "autocannon", requestsPerSecond: result.requests.average, p50, p99, max, failures: result.errors + result.non2xx };
}
