import { readFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_VARIABLES, loadConfig, rateLimitsOf } from "../../../src/server/config";

describe("loadConfig", () => {
  it("applies the documented defaults and resolves folders against the project root", () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 4000,
      HOST: "127.0.0.1",
      CANDELA_EMBEDDED_PG_PORT: 5488,
      CANDELA_LOAD_SAMPLES: true,
      CANDELA_DATABASE_START_TIMEOUT_SECONDS: 60,
      LOG_LEVEL: "info",
    });
    expect(config.CANDELA_DATA_DIR).toBe(path.resolve(__dirname, "../../../.candela"));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("allows anonymous reads by default only with the embedded database (no DATABASE_URL) on a loopback HOST", () => {
    expect(loadConfig({}).CANDELA_ALLOW_ANONYMOUS_READS).toBe(true);
    expect(loadConfig({ HOST: "localhost" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(true);
    expect(loadConfig({ HOST: "::1" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(true);
    expect(loadConfig({ HOST: "127.0.0.2" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(true);
    // A container listens on every interface: no data for whoever reaches the port, even without DATABASE_URL.
    expect(loadConfig({ HOST: "0.0.0.0" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(false);
    expect(loadConfig({ HOST: "10.0.0.7" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(false);
    expect(loadConfig({ HOST: "127.0.0.1.example.com" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(false);
    expect(loadConfig({ DATABASE_URL: "postgresql://db/candela" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(false);
    expect(loadConfig({ DATABASE_URL: "postgresql://db/candela", CANDELA_ALLOW_ANONYMOUS_READS: "true" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(true);
    expect(loadConfig({ CANDELA_ALLOW_ANONYMOUS_READS: "0" }).CANDELA_ALLOW_ANONYMOUS_READS).toBe(false);
  });

  it("reads the rate limits, and turns them off with CANDELA_RATE_LIMITS=false", () => {
    expect(rateLimitsOf(loadConfig({}))).toEqual({ perKeyPerSecond: 1000, perAddressPerSecond: 100 });
    expect(rateLimitsOf(loadConfig({ CANDELA_RATE_LIMIT_PER_KEY: "5", CANDELA_RATE_LIMIT_PER_ADDRESS: "2" }))).toEqual({ perKeyPerSecond: 5, perAddressPerSecond: 2 });
    expect(rateLimitsOf(loadConfig({ CANDELA_RATE_LIMITS: "false" }))).toBeUndefined();
    expect(() => loadConfig({ CANDELA_METRICS_TOKEN: "short" })).toThrow(/CANDELA_METRICS_TOKEN: must be at least 16 characters/);
  });

  it("rejects malformed values, naming each variable", () => {
    const attempt = () => loadConfig({ PORT: "http", DATABASE_URL: "mysql://x", CANDELA_LOAD_SAMPLES: "yes" });
    expect(attempt).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(attempt).toThrow(/CANDELA_LOAD_SAMPLES: .*"true"/);
    expect(attempt).toThrow(/PORT: .*number/);
    expect(() => loadConfig({ CANDELA_DATABASE_START_TIMEOUT_SECONDS: "-1" })).toThrow(/CANDELA_DATABASE_START_TIMEOUT_SECONDS: /);
  });

  it("rejects an unknown CANDELA_ variable so a typo cannot silently fall back to a default", () => {
    expect(() => loadConfig({ CANDELA_DATADIR: "/tmp" })).toThrow(/CANDELA_DATADIR: unknown variable/);
  });
});

describe("README configuration table", () => {
  it("lists exactly the variables the code reads", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Development"));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
