import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

function cruise(target: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ["node_modules/dependency-cruiser/bin/dependency-cruise.mjs", "--config", ".dependency-cruiser.js", "--output-type", "err", target], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("layer rules (dependency-cruiser, .dependency-cruiser.js)", () => {
  it("hold for every file under src/", () => {
    const result = cruise("src");
    expect(result.output).not.toMatch(/error /);
    expect(result.status).toBe(0);
  });

  it("catch a violation: a fixture where the domain imports pg fails", () => {
    const result = cruise("test/architecture/fixtures");
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/pure-layers-import-no-packages: .*imports-database\.ts → node_modules\/pg\//);
  });
});
