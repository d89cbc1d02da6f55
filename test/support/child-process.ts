import { spawn } from "node:child_process";
import path from "node:path";

/** The repository's root: commands run from there. */
const ROOT = path.resolve(__dirname, "../..");

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command running in a child process. */
export interface RunningCommand {
  readonly exited: Promise<CommandResult>;
  /** What it printed on stdout so far. */
  stdout(): string;
  /** Sends SIGINT (Ctrl-C). */
  interrupt(): void;
}

/**
 * Starts `command` from the repository's root without blocking this process, so that servers and fakes running in the
 * test keep answering (spawnSync would stall them, and a keep-alive connection could be reset meanwhile).
 */
export function startCommand(command: string, args: readonly string[], environment: NodeJS.ProcessEnv = process.env): RunningCommand {
  const child = spawn(command, args, { cwd: ROOT, env: environment });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return {
    exited: new Promise((resolve) => child.on("exit", (status) => resolve({ status, stdout, stderr }))),
    stdout: () => stdout,
    interrupt: () => child.kill("SIGINT"),
  };
}

/** Runs `command` to its end (see startCommand). */
export function runCommand(command: string, args: readonly string[], environment?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return startCommand(command, args, environment).exited;
}
