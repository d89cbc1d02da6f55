import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

/** A redis-server child process on its own port, that a test can stop, restart, pause and resume. */
export interface DedicatedRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Kills the server (SIGKILL: like a crash) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the server again on the same port (empty: no persistence) and waits until it accepts connections. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, so calls time out. */
  pause(): void;
  /** Unfreezes a paused server (SIGCONT). */
  resume(): void;
}

/**
 * Starts `redis-server` (from PATH) on the first free port from `firstPort`, without persistence, as a
 * child of the test process. Call `stop()` in afterAll; the child is also killed when the process exits.
 */
export async function startDedicatedRedis(firstPort = 6390): Promise<DedicatedRedis> {
  const port = await freePort(firstPort);
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);

  const start = async () => {
    if (child !== undefined) return;
    const started = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.once("exit", () => {
      if (child === started) child = undefined;
    });
    let output = "";
    started.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (child !== started || Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const stop = async () => {
    const running = child;
    if (running === undefined) return;
    const exited = once(running, "exit");
    running.kill("SIGKILL");
    await exited;
    child = undefined;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      await stop();
    },
    pause: () => void child?.kill("SIGSTOP"),
    resume: () => void child?.kill("SIGCONT"),
  };
}

/** Polls `condition` every 20 ms until it holds, failing after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The first port from `from` that nothing listens on and we can bind. */
async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    if (await accepts(port)) continue;
    const bindable = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (bindable) return port;
  }
  throw new Error(`No free port in ${from}..${from + 199} for a dedicated redis-server.`);
}
