import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Project root (the folder with package.json and prisma/), found by walking up from this file, so it
 * is right whether the code runs from src/ (tests), dist/src/ (the build) or bench/build/ (benchmarks).
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, "package.json")) && existsSync(path.join(folder, "prisma"))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No project root (package.json and prisma/) above ${start}`);
  }
}
