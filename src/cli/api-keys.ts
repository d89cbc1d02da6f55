import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { parseApiKeyPrefix, parseScopeList, scopeLabel, type ApiKey } from "../access/api-key";
import { DomainError } from "../domain/errors";
import { ApiKeyService } from "../access/api-key.service";
import { loadConfig } from "../server/config";
import { openDatabase } from "../server/database-runtime";
import { createLogger } from "../server/logger";
import { createStoreAdapters } from "../store/store-adapters";

/**
 * `npm run keys -- create --name NAME --scopes read,ingest`: creates a key and prints it once (the key alone on
 * stdout, so `npm run -s keys -- create ...` can be captured; the explanation on stderr).
 * `npm run keys -- revoke --prefix cdl_0123456789ab`: revokes a key; it stops working on the next request.
 * `npm run keys -- list`: every key with its prefix, name, scopes and use, never a secret.
 * Exit codes: 0 done, 2 usage error, unknown prefix or database error.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name("candela keys")
    .description("Create, list and revoke API keys. Scopes: read (queries), ingest (writing bars), admin (everything).")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("create")
    .description("create a key and print it once; only its hash is stored")
    .requiredOption("--name <name>", 'who or what holds the key, e.g. "training-cluster"')
    .requiredOption("--scopes <scopes>", "comma-separated scopes: read, ingest, admin (admin implies the others)")
    .action(async (options: { name: string; scopes: string }) => {
      const scopes = parseScopeList(options.scopes);
      await withKeys(async (keys) => {
        const { apiKey, key } = await keys.create(options.name, scopes);
        console.error(
          `Created API key "${apiKey.name}" (${apiKey.prefix}) with scopes ${apiKey.scopes.map(scopeLabel).join(", ")}.\n` +
            "Store it now: Candela keeps only its hash and cannot show it again. Send it as `Authorization: Bearer <key>`.",
        );
        console.log(key);
      });
    });

  program
    .command("revoke")
    .description("revoke a key by its prefix (as `list` shows it)")
    .requiredOption("--prefix <prefix>", "the key's prefix, e.g. cdl_0123456789ab")
    .action(async (options: { prefix: string }) => {
      const prefix = parseApiKeyPrefix(options.prefix);
      await withKeys(async (keys) => {
        const key = await keys.revoke(prefix);
        console.log(`Revoked ${key.prefix} ("${key.name}") at ${new Date(key.revokedAt!).toISOString()}.`);
      });
    });

  program
    .command("list")
    .description("list every key (prefix, name, scopes, created, last used, status); never a secret")
    .action(async () => {
      await withKeys(async (keys) => console.log(formatKeys(await keys.list())));
    });

  await program.parseAsync(argv);
}

/** Runs `work` with a key service over the configured database, closing the database afterwards. */
async function withKeys(work: (keys: ApiKeyService) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const runtime = await openDatabase(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL));
  try {
    const adapters = createStoreAdapters(runtime.database);
    try {
      await work(new ApiKeyService(adapters.apiKeys));
    } finally {
      await adapters.close();
    }
  } finally {
    await runtime.close();
  }
}

function formatKeys(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return "No API keys. Create one with: npm run keys -- create --name NAME --scopes read";
  const time = (epochMs: number | null) => (epochMs === null ? "-" : new Date(epochMs).toISOString());
  const rows = [
    ["prefix", "name", "scopes", "created", "last used", "status"],
    ...keys.map((key) => [
      key.prefix,
      key.name,
      key.scopes.map(scopeLabel).join(","),
      time(key.createdAt),
      time(key.lastUsedAt),
      key.revokedAt === null ? "active" : `revoked ${time(key.revokedAt)}`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

main(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    // Commander has already printed its usage message (or the help asked for).
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    const code = error instanceof DomainError ? ` [${error.code}]` : "";
    console.error(`candela keys${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
