import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { badUserInput, DomainError } from "../domain/errors";
import { parseTimeframe } from "../domain/timeframe";
import type { FeatureFileEntry } from "../features/feature-plan.service";
import { windowRegistrations } from "../features/indicator-windows";

const DEFINITION = z
  .object({
    name: z.string(),
    indicator: z.string(),
    parameters: z.record(z.string(), z.number()).default({}),
    output: z.string().optional(),
    timeframe: z.string().optional(),
    description: z.string().max(1_000).optional(),
    input: z.string().optional(),
    windows: z.array(z.number().int()).optional(),
  })
  .strict();

const DEPRECATION = z.object({ name: z.string(), deprecated: z.string().min(1, "say why (and what to use instead)") }).strict();

/**
 * An entry is a deprecation when it says `deprecated`, else a definition, each checked by its own schema: a union would
 * answer a mistake in either with a bare "Invalid input" instead of naming the field.
 */
const ENTRY = z.unknown().transform((entry, context): z.output<typeof DEPRECATION> | z.output<typeof DEFINITION> => {
  const schema = typeof entry === "object" && entry !== null && "deprecated" in entry ? DEPRECATION : DEFINITION;
  const parsed = schema.safeParse(entry);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

const FILE = z.object({ features: z.array(ENTRY).min(1, "list at least one feature") }).strict();

/**
 * Reads a features file (YAML, or JSON, which is YAML too):
 *
 * ```yaml
 * features:
 *   - name: rsi_14
 *     indicator: rsi
 *     parameters: { period: 14 }
 *     description: Wilder's RSI over 14 bars
 *   - name: macd_hist
 *     indicator: macd
 *     output: histogram
 *     timeframe: 1h          # optional: only for 1h bars
 *   - name: rsi_14_zscore
 *     indicator: zscore      # a composed feature: the z-score of rsi_14's values
 *     input: rsi_14          # a feature listed before it, or registered ("rsi_14@2")
 *     parameters: { period: 100 }
 *   - name: sma_trend       # one feature per window: sma_trend_20, sma_trend_50, sma_trend_200
 *     indicator: sma
 *     windows: [20, 50, 200]
 *   - name: rsi_7
 *     deprecated: replaced by rsi_14
 * ```
 * @throws DomainError BAD_USER_INPUT naming the file and each malformed entry by its position and field
 */
export function readFeaturesFile(file: string): FeatureFileEntry[] {
  let content: unknown;
  try {
    content = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw badUserInput(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = FILE.safeParse(content);
  if (!parsed.success) {
    throw badUserInput(`${file} is not a features file:\n  ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`).join("\n  ")}`);
  }
  return parsed.data.features.flatMap((entry, index): FeatureFileEntry[] => {
    if ("deprecated" in entry) return [{ kind: "deprecation", name: entry.name, reason: entry.deprecated }];
    try {
      const timeframe = entry.timeframe === undefined ? null : parseTimeframe(entry.timeframe);
      const registration = { name: entry.name, indicator: entry.indicator, parameters: entry.parameters, output: entry.output, timeframe, description: entry.description, input: entry.input };
      const registrations = entry.windows === undefined ? [registration] : windowRegistrations(registration, entry.windows);
      return registrations.map((each) => ({ kind: "definition", registration: each }));
    } catch (error) {
      throw error instanceof DomainError ? badUserInput(`${file}: features.${index}: ${error.message}`) : error;
    }
  });
}
