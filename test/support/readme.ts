import { readFileSync } from "node:fs";
import path from "node:path";

/** README.md of the repository. */
export const README_FILE = path.resolve(__dirname, "../../README.md");

/** One fenced code block of README.md. */
export interface ReadmeBlock {
  /** Line of README.md where the block's text starts (after the opening fence). */
  readonly line: number;
  /** The block's text, with the fence's indentation removed (blocks inside list items are indented). */
  readonly text: string;
}

/**
 * README.md's fenced code blocks of `languages` (e.g. "graphql"), in README order, indented ones (inside a list item)
 * included.
 */
export function readmeBlocks(...languages: string[]): ReadmeBlock[] {
  const readme = readFileSync(README_FILE, "utf8");
  const blocks: ReadmeBlock[] = [];
  const fence = /^( *)```(\w+)\n([\s\S]*?)^\1```/gm;
  for (const match of readme.matchAll(fence)) {
    const [, indentation, language, body] = match;
    if (!languages.includes(language)) continue;
    const line = readme.slice(0, match.index).split("\n").length + 1;
    const text = body
      .split("\n")
      .map((row) => (row.startsWith(indentation) ? row.slice(indentation.length) : row))
      .join("\n");
    blocks.push({ line, text });
  }
  return blocks;
}
