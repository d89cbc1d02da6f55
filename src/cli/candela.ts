#!/usr/bin/env node
import "./production-mode";
import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { DomainError } from "../domain/errors";
import { applyCommand } from "./apply.command";
import { backfillCommand } from "./backfill.command";
import { barsCommand } from "./bars.command";
import { importCommand } from "./import.command";
import { keysCommand } from "./keys.command";
import { materializeCommand } from "./materialize.command";
import { migrateCommand } from "./migrate.command";
import { schemaCommand } from "./schema.command";
import { serveCommand } from "./serve.command";

/**
 * The `candela` command (package.json `bin`; built once, when the package is installed): `serve`, `import`, `backfill`, `apply`, `materialize`,
 * `bars delete`, `keys create|list|revoke`, `migrate`, `schema`. `--help` on any of them prints its help and exits
 * 0 without doing anything. A failure prints `candela <command> [CODE]: message` on stderr and exits 2 (a user's
 * mistake or an unreachable dependency: the message says what to do) or 1 (anything else).
 */
const program = new Command("candela")
  .description("Candela, a GraphQL feature store for trading strategies")
  .showHelpAfterError()
  .exitOverride();
for (const command of [serveCommand(), importCommand(), backfillCommand(), applyCommand(), materializeCommand(), barsCommand(), keysCommand(), migrateCommand(), schemaCommand()]) {
  program.addCommand(command.exitOverride());
  for (const subcommand of command.commands) subcommand.exitOverride();
}

/** The command line's words naming the command that failed, e.g. "candela keys". */
function commandName(argv: readonly string[]): string {
  const words = argv.slice(2).filter((word) => !word.startsWith("-"));
  return ["candela", ...words.slice(0, words[0] === "keys" || words[0] === "bars" ? 2 : 1)].join(" ");
}

program.parseAsync(process.argv).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    // Commander has already printed its usage message (or the help asked for).
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    const code = error instanceof DomainError ? ` [${error.code}]` : "";
    console.error(`${commandName(process.argv)}${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof DomainError || isUsageError(error) ? 2 : 1);
  },
);

/** Errors a user fixes by changing the command line or the environment (a missing file, a bad configuration). */
function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "EACCES" || (error instanceof Error && error.message.startsWith("Invalid configuration"));
}
