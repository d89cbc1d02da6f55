import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const { forbidden } = require("../../.dependency-cruiser.js") as { forbidden: { name: string }[] };

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

  describe("each rule bites: the fixtures under test/architecture/fixtures break every one", () => {
    const result = cruise("test/architecture/fixtures");

    it("the fixtures fail the check", () => {
      expect(result.status).not.toBe(0);
    });

    it.each(forbidden.map((rule) => rule.name))("%s is reported", (name) => {
      expect(result.output).toMatch(new RegExp(`error ${name}: `));
    });

    it("names the offending import", () => {
      expect(result.output).toMatch(/pure-layers-import-no-packages: .*imports-database\.ts → node_modules\/pg\//);
      expect(result.output).toMatch(/postgres-and-redis-adapters-stay-apart: .*store\/redis\/imports-postgres\.ts → .*store\/postgres\/target\.ts/);
    });
  });
});
