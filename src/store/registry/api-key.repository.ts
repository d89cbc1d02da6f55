import { parseScope, scopeLabel, type ApiKey } from "../../access/api-key";
import type { ApiKeyStore, NewApiKey, StoredApiKey } from "../../access/api-key-store";
import { Prisma, type PrismaClient } from "../postgres/generated/prisma/client";
import type { ApiKeyModel } from "../postgres/generated/prisma/models/ApiKey";
import { API_KEY_REVOCATIONS_CHANNEL } from "./api-key-revocations";

/** PostgreSQL adapter (Prisma) of ApiKeyStore: table api_key. */
export class ApiKeyRepository implements ApiKeyStore {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(key: NewApiKey): Promise<ApiKey | null> {
    try {
      const row = await this.prisma.apiKey.create({
        data: { name: key.name, prefix: key.prefix, secretHash: key.secretHash, scopes: key.scopes.map(scopeLabel) },
      });
      return toApiKey(row);
    } catch (error) {
      // P2002: the prefix is taken.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.prisma.apiKey.findMany({ orderBy: { id: "asc" } });
    return rows.map(toApiKey);
  }

  async findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    const row = await this.prisma.apiKey.findUnique({ where: { prefix } });
    return row === null ? null : { ...toApiKey(row), secretHash: row.secretHash };
  }

  /** Revokes and announces it on API_KEY_REVOCATIONS_CHANNEL in one transaction: every server drops the key at commit. */
  async revoke(prefix: string, at: number): Promise<ApiKey | null> {
    const row = await this.prisma.$transaction(async (transaction) => {
      await transaction.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: new Date(at) } });
      await transaction.$executeRaw`SELECT pg_notify(${API_KEY_REVOCATIONS_CHANNEL}, ${prefix})`;
      return transaction.apiKey.findUnique({ where: { prefix } });
    });
    return row === null ? null : toApiKey(row);
  }

  async recordUse(id: number, at: number): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: new Date(at) } });
  }
}

function toApiKey(row: ApiKeyModel): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.map(parseScope),
    createdAt: row.createdAt.getTime(),
    revokedAt: row.revokedAt?.getTime() ?? null,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
}
