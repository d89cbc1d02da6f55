import { Command } from "commander";
import { parseApiKeyPrefix, parseScopeList, scopeLabel, type ApiKey } from "../access/api-key";
import { ApiKeyService } from "../access/api-key.service";
import { createStoreAdapters } from "../store/store-adapters";
import { withDatabase } from "./cli-runtime";

/**
 * `candela keys create --name NAME --scopes read,ingest`: creates a key and prints it once (the key alone on stdout,
 * so it can be captured; the explanation on stderr). `candela keys revoke --prefix cdl_0123456789ab`: revokes a key;
 * it stops working on the next request. `candela keys list`: every key with its prefix, name, scopes and use, never a
 * secret.
 */
export function keysCommand(): Command {
  const program = new Command("keys").description("create, list and revoke API keys; scopes: read (queries), ingest (writing bars), admin (everything)");

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

  return program;
}

/** Runs `work` with a key service over the configured database. */
function withKeys(work: (keys: ApiKeyService) => Promise<void>): Promise<void> {
  return withDatabase(async (database) => {
    const adapters = createStoreAdapters(database);
    try {
      await work(new ApiKeyService(adapters.apiKeys));
    } finally {
      await adapters.close();
    }
  });
}

function formatKeys(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return "No API keys. Create one with: candela keys create --name NAME --scopes read";
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
