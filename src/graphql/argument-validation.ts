import { validate, type ValidationError } from "class-validator";
import type { ValidatorFn } from "type-graphql";
import { badUserInput, quoteInput } from "../domain/errors";

/** Longest string any argument may hold (feature descriptions are the longest legitimate ones). */
export const MAX_ARGUMENT_STRING_LENGTH = 1_000;

// C0 and C1 control characters (NUL included), and UTF-16 halves without their other half: neither is text a
// user means, and PostgreSQL rejects NUL in text.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The one place GraphQL arguments are validated (type-graphql's `validateFn`, run for every argument of every
 * field before its resolver): every string, however deeply nested, must be printable text of at most
 * MAX_ARGUMENT_STRING_LENGTH characters; argument and input classes must pass their class-validator
 * decorators (e.g. `@Matches(SYMBOL_PATTERN)` on `symbol`).
 * @throws DomainError BAD_USER_INPUT naming the argument path (e.g. `specs[1].indicator`) and the rule broken,
 *   quoting at most a short prefix of the input
 */
export const validateArgument: ValidatorFn = async (value, _type, { args }) => {
  // Plain @Arg values arrive alone; find their name among the field's arguments for the message.
  const name = Object.keys(args).find((key) => args[key] === value);
  await check(value, name ?? "");
};

/**
 * The same validation for an argument object built by hand: a subscription's `subscribe` function receives its
 * arguments unvalidated (type-graphql validates only those passed to resolvers).
 * @throws DomainError BAD_USER_INPUT as validateArgument
 */
export function validateArguments(args: object): Promise<void> {
  return check(args, "");
}

async function check(value: unknown, path: string): Promise<void> {
  if (typeof value === "string") {
    checkText(value, path);
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) await check(value[index], `${path}[${index}]`);
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    // Text first: a rule's message would otherwise quote what is not text.
    for (const [key, child] of Object.entries(value)) await check(child, path === "" ? key : `${path}.${key}`);
    const errors = await validate(value, { skipMissingProperties: true, forbidUnknownValues: false });
    if (errors.length > 0) throw badUserInput(describe(errors, path), { argument: path === "" ? errors[0].property : path });
  }
}

function checkText(text: string, path: string): void {
  const where = path === "" ? "An argument" : `Argument \`${path}\``;
  if (text.length > MAX_ARGUMENT_STRING_LENGTH) {
    throw badUserInput(`${where} is ${text.length} characters long; at most ${MAX_ARGUMENT_STRING_LENGTH} are accepted.`, { argument: path });
  }
  if (CONTROL_CHARACTER.test(text) || LONE_SURROGATE.test(text)) {
    throw badUserInput(`${where} contains a control character or broken Unicode (${quoteInput(text)}); send printable text only.`, { argument: path });
  }
}

/** "Argument `symbol` must be ...; argument `symbols` each must be ..." from class-validator's errors. */
function describe(errors: readonly ValidationError[], path: string): string {
  const problems = errors.map((error) => {
    const where = path === "" ? error.property : `${path}.${error.property}`;
    return `Argument \`${where}\` ${Object.values(error.constraints ?? {}).join("; ")}`;
  });
  return `${problems.join(". ")}.`;
}
