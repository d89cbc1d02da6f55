import { spawn } from "node:child_process";
import { PROJECT_ROOT } from "../src/platform/project-root";

/**
 * Runs `measure` against the built server (`dist/src/cli/candela.js serve`, as users run it) on `databaseUrl`, listening
 * on 127.0.0.1:`port` with anonymous reads and no sample data, plus `environment`; stops the server afterwards.
 * @param measure gets the server's base URL, e.g. "http://127.0.0.1:4871"
 */
export async function withBuiltServer(databaseUrl: string, port: number, environment: Record<string, string>, measure: (baseUrl: string) => Promise<void>): Promise<void> {
  const server = spawn(process.execPath, ["dist/src/cli/candela.js", "serve"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), CANDELA_LOAD_SAMPLES: "false", CANDELA_ALLOW_ANONYMOUS_READS: "true", LOG_LEVEL: "error", ...environment },
    stdio: "ignore",
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    await measure(`http://127.0.0.1:${port}`);
  } finally {
    server.kill("SIGINT");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}

async function waitForHttp(address: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (await fetch(address).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${address} did not answer`);
}
