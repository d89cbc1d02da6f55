import { badUserInput, quoteInput } from "../../domain/errors";

/** Longest glob `invalidateCache` accepts, characters. */
export const MAX_GLOB_LENGTH = 256;

/** Tests a cache entry's name against a compiled glob. */
export type GlobMatcher = (name: string) => boolean;

/** One position of a compiled glob: `*`, or a test of exactly one character. */
type GlobToken = "*" | ((character: string) => boolean);

/**
 * Compiles a Redis-style glob (the syntax of SCAN MATCH / KEYS), so the process tier matches what Redis
 * matches: `*` any characters (also none, `/` and `:` included), `?` exactly one, `[abc]` one of, `[^abc]`
 * none of, `[a-z]` a range (`-` first or last is literal), `\x` the character x literally (also inside a
 * class; a trailing `\` is a literal backslash). Everything else is literal.
 *
 * Matching never backtracks beyond the last `*` (the two-pointer wildcard algorithm): at most
 * name length × (longest run between two `*`) character tests, so no pattern can stall the event loop
 * the way a backtracking regular expression does (e.g. `*a*a*a*a*a*a!`).
 * @throws DomainError BAD_USER_INPUT for a glob over MAX_GLOB_LENGTH characters or a malformed class
 *   (unclosed `[`, empty `[]`, reversed range such as `[z-a]`), quoting at most a short prefix of it
 */
export function compileGlob(glob: string): GlobMatcher {
  if (glob.length > MAX_GLOB_LENGTH) {
    throw badUserInput(`The pattern is ${glob.length} characters long; at most ${MAX_GLOB_LENGTH} are accepted.`, { argument: "pattern" });
  }
  return matcherOf(tokenize(glob));
}

function tokenize(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index];
    if (character === "*") {
      // Consecutive stars match what one star matches.
      if (tokens[tokens.length - 1] !== "*") tokens.push("*");
    } else if (character === "?") tokens.push(() => true);
    else if (character === "[") index = readClass(glob, index, tokens);
    else {
      const literal = character === "\\" && index + 1 < glob.length ? glob[++index] : character;
      tokens.push((candidate) => candidate === literal);
    }
  }
  return tokens;
}

/** Reads the class opening at `open`, pushes its test, returns the index of its closing `]`. */
function readClass(glob: string, open: number, tokens: GlobToken[]): number {
  const negated = glob[open + 1] === "^";
  const members: string[] = [];
  let index = negated ? open + 2 : open + 1;
  for (; index < glob.length && glob[index] !== "]"; index++) {
    members.push(glob[index] === "\\" && index + 1 < glob.length ? glob[++index] : glob[index]);
    // Unescaped `-` between two members makes a range; first or last it is literal.
    if (glob[index + 1] === "-" && index + 2 < glob.length && glob[index + 2] !== "]") {
      index += 2;
      const end = glob[index] === "\\" && index + 1 < glob.length ? glob[++index] : glob[index];
      const start = members.pop()!;
      if (start > end) throw malformed(glob, `the range ${start}-${end} runs backwards; write it as ${end}-${start}`);
      members.push(`${start}-${end}`);
    }
  }
  if (index >= glob.length) throw malformed(glob, "a `[` is never closed; write \\[ for a literal bracket");
  if (members.length === 0) throw malformed(glob, "a class `[]` is empty; write \\[\\] for literal brackets");
  const inClass = (character: string) =>
    members.some((member) => (member.length === 1 ? character === member : member[0] <= character && character <= member[2]));
  tokens.push(negated ? (character) => !inClass(character) : inClass);
  return index;
}

function malformed(glob: string, problem: string): Error {
  return badUserInput(`The pattern ${quoteInput(glob)} is not a valid glob: ${problem}.`, { argument: "pattern" });
}

/** The two-pointer wildcard matcher: on a mismatch, retry only from the last `*`, one character further. */
function matcherOf(tokens: readonly GlobToken[]): GlobMatcher {
  return (name) => {
    let token = 0;
    let position = 0;
    let lastStar = -1;
    let resumeAt = 0;
    while (position < name.length) {
      const current = tokens[token];
      if (current === "*") {
        lastStar = token++;
        resumeAt = position;
      } else if (current !== undefined && current(name[position])) {
        token++;
        position++;
      } else if (lastStar >= 0) {
        token = lastStar + 1;
        position = ++resumeAt;
      } else return false;
    }
    while (tokens[token] === "*") token++;
    return token === tokens.length;
  };
}
