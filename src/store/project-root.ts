import path from "node:path";

/** Project root (where package.json lives), from this file under src/ or, compiled, under dist/src/. */
export const PROJECT_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");
