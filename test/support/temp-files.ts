import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A temporary folder for files a test writes; `cleanup()` removes it. */
export function temporaryFolder(): { write(name: string, content: string): string; cleanup(): void } {
  const folder = mkdtempSync(path.join(tmpdir(), "candela-test-"));
  return {
    write(name, content) {
      const file = path.join(folder, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(folder, { recursive: true, force: true }),
  };
}
