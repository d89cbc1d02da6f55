import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** The built server (`node dist/src/cli/candela.js serve`) running in a child process of the test. */
export interface ServerProcess {
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves once its output matches `pattern`; rejects after `timeoutMs` or when it exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Its exit code, once it exited (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** SIGINT, then its exit code; the exit code at once when it has already exited. */
  stop(): Promise<number | null>;
  /** Sends `signal` (SIGKILL: no shutdown at all) and resolves when it has exited. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built server (`npm test` builds first) with the test's environment less NODE_ENV (users run it
 * unset), DATABASE_URL and REDIS_URL, plus `environment`. Killed when the test process exits.
 */
export function startServerProcess(environment: Record<string, string>): ServerProcess {
  const { NODE_ENV: _node, DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ["dist/src/cli/candela.js", "serve"], { cwd: ROOT, env: { ...inherited, ...environment } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  return {
    output: () => output,
    exited,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the server did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      return exited;
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the operating system's choice). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once GET `url` answers 2xx; rejects after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
