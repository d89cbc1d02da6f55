import { readFileSync } from "node:fs";
import type { z } from "zod";

/**
 * Reads and validates a JSON configuration file named by an environment variable.
 * @param variable the variable's name, for the message (e.g. "CANDELA_WATCHLIST_FILE")
 * @throws Error naming the variable, the file and each malformed entry with its path (the server does not start)
 */
export function readJsonConfigFile<T extends z.ZodType>(variable: string, file: string, schema: T): z.infer<T> {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${variable} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(content);
  if (!parsed.success) {
    throw new Error(`${variable} ${file} is malformed:\n  ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n  ")}`);
  }
  return parsed.data;
}
