import { parseTimeframe, timeframeLabel } from "../../domain/timeframe";
import type { FeatureDefinition, FeatureInput } from "../../features/feature-definition";
import type { FeatureDefinitionStore, FeatureDeprecation, NewFeatureDefinition } from "../../features/ports/feature-definition-store";
import type { IndicatorParameters } from "../../indicators/indicator";
import { Prisma, type PrismaClient } from "../postgres/generated/prisma/client";

type FeatureDefinitionRow = Awaited<ReturnType<PrismaClient["featureDefinition"]["findFirstOrThrow"]>>;

/** PostgreSQL adapter (Prisma) of FeatureDefinitionStore. */
export class FeatureDefinitionRepository implements FeatureDefinitionStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<FeatureDefinition[]> {
    const rows = await this.prisma.featureDefinition.findMany({ orderBy: [{ name: "asc" }, { version: "asc" }] });
    return rows.map(toDefinition);
  }

  async versionsOf(names: readonly string[]): Promise<Map<string, FeatureDefinition[]>> {
    const rows = await this.prisma.featureDefinition.findMany({ where: { name: { in: [...names] } }, orderBy: [{ name: "asc" }, { version: "asc" }] });
    const byName = new Map<string, FeatureDefinition[]>(names.map((name) => [name, []]));
    for (const row of rows) byName.get(row.name)?.push(toDefinition(row));
    return byName;
  }

  async insert(definition: NewFeatureDefinition): Promise<FeatureDefinition | null> {
    try {
      const row = await this.prisma.featureDefinition.create({
        data: {
          ...definition,
          parameters: { ...definition.parameters },
          timeframe: definition.timeframe === null ? null : timeframeLabel(definition.timeframe),
          input: definition.input === null ? Prisma.DbNull : (definition.input as unknown as Prisma.InputJsonObject),
        },
      });
      return toDefinition(row);
    } catch (error) {
      // P2002: unique (name, version) taken by a concurrent registration.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }

  async deprecations(): Promise<Map<string, FeatureDeprecation>> {
    const rows = await this.prisma.featureDeprecation.findMany();
    return new Map(rows.map((row) => [row.name, { reason: row.reason, deprecatedAt: row.deprecatedAt.getTime() }]));
  }

  async setDeprecation(name: string, reason: string | null): Promise<void> {
    if (reason === null) await this.prisma.featureDeprecation.deleteMany({ where: { name } });
    else await this.prisma.featureDeprecation.upsert({ where: { name }, create: { name, reason }, update: { reason } });
  }
}

function toDefinition(row: FeatureDefinitionRow): FeatureDefinition {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    indicator: row.indicator,
    indicatorVersion: row.indicatorVersion,
    parameters: row.parameters as IndicatorParameters,
    output: row.output,
    timeframe: row.timeframe === null ? null : parseTimeframe(row.timeframe),
    description: row.description,
    input: row.input === null ? null : (row.input as unknown as FeatureInput),
    fingerprint: row.fingerprint,
    createdAt: row.createdAt.getTime(),
  };
}
