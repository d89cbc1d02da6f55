/**
 * Redis-style glob patterns (the syntax of SCAN MATCH / KEYS), compiled to a RegExp so the process tier
 * matches exactly what Redis matches: `*` any characters (also none), `?` one character, `[abc]` one of,
 * `[^abc]` none of, `[a-z]` a range, `\x` the character x literally. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index];
    if (character === "*") source += "[\\s\\S]*";
    else if (character === "?") source += "[\\s\\S]";
    else if (character === "\\" && index + 1 < glob.length) source += escapeLiteral(glob[++index]);
    else if (character === "[") {
      const close = glob.indexOf("]", index + 2);
      if (close === -1) {
        source += escapeLiteral(character);
        continue;
      }
      let body = glob.slice(index + 1, close);
      const negated = body.startsWith("^");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, (special) => `\\${special}`)}]`;
      index = close;
    } else source += escapeLiteral(character);
  }
  return new RegExp(`^${source}$`);
}

function escapeLiteral(character: string): string {
  return character.replace(/[.*+?^${}()|[\]\\/-]/g, (special) => `\\${special}`);
}
