import { createHash } from "node:crypto";
import { badUserInput } from "../domain/errors";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import type { IndicatorParameters } from "../indicators/indicator";

/**
 * A named, immutable, versioned feature definition (a feature view): one output of one indicator with
 * fixed parameters, optionally restricted to one timeframe. Its value at a bar is the indicator computed
 * over every stored bar of the series up to and including that bar (full history, as TA-Lib over the
 * whole series), so it is the same whichever path (stored or computed) produces it.
 */
export interface FeatureDefinition {
  /** Storage id (internal; clients use name and version). */
  readonly id: number;
  /** e.g. "rsi_14". */
  readonly name: string;
  /** 1 for the first definition under the name, +1 for each changed one. */
  readonly version: number;
  readonly indicator: string;
  /** The indicator's algorithm version at registration. */
  readonly indicatorVersion: number;
  /** Every parameter, defaults included. */
  readonly parameters: IndicatorParameters;
  readonly output: string;
  /** The only timeframe the feature may be used at, or null for any. */
  readonly timeframe: Timeframe | null;
  readonly description: string;
  /**
   * For a composed feature: the feature whose values the indicator takes instead of the close (e.g. RSI 14 under a
   * z-score), with its whole chain; null for a feature computed from bars.
   */
  readonly input: FeatureInput | null;
  /** sha256 hex of the canonical definition (see {@link definitionFingerprint}). */
  readonly fingerprint: string;
  /** Registration instant, epoch ms. */
  readonly createdAt: number;
}

/**
 * The feature a composed feature reads, as it was registered (definitions never change, so the chain is stored with
 * the composed definition): its name and version for people, and what it computes.
 */
export type FeatureInput = Pick<FeatureDefinition, "name" | "version" | "indicator" | "indicatorVersion" | "parameters" | "output" | "input">;

/** What identifies a definition's computation; the input of {@link definitionFingerprint}. */
export type FeatureComputation = Pick<FeatureDefinition, "indicator" | "indicatorVersion" | "parameters" | "output" | "timeframe" | "input">;

/** `definition` as the input of a composed feature. */
export function asFeatureInput(definition: FeatureInput): FeatureInput {
  const { name, version, indicator, indicatorVersion, parameters, output, input } = definition;
  return { name, version, indicator, indicatorVersion, parameters, output, input };
}

/** A feature reference as clients write it: "rsi_14" (latest version) or "rsi_14@2". */
export interface FeatureReference {
  readonly name: string;
  readonly version?: number;
}

const NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Checks a feature name: 1-63 of lower-case letters, digits and "_", starting with a letter.
 * @throws DomainError BAD_USER_INPUT saying the rule
 */
export function validateFeatureName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw badUserInput(`Feature name "${name}" is invalid: use 1-63 lower-case letters, digits and "_", starting with a letter (e.g. "rsi_14").`);
  }
  return name;
}

/**
 * Parses "name" or "name@version".
 * @throws DomainError BAD_USER_INPUT for a malformed reference
 */
export function parseFeatureReference(text: string): FeatureReference {
  const [name, version, extra] = text.trim().split("@");
  if (extra !== undefined || (version !== undefined && !/^[1-9]\d{0,8}$/.test(version))) {
    throw badUserInput(`Feature reference "${text}" is invalid: write "name" for the latest version or "name@2" for version 2.`);
  }
  return { name: validateFeatureName(name), version: version === undefined ? undefined : Number(version) };
}

/**
 * Fingerprint of what a definition computes: sha256 (hex) of a canonical JSON of indicator, algorithm version,
 * parameters (sorted by name), output, timeframe scope and, for a composed feature, the same of every input down the
 * chain (not their names). Equal fingerprints mean equal values.
 */
export function definitionFingerprint(computation: FeatureComputation): string {
  // The timeframe scope stands after the output and before the input chain, as it always has.
  const [indicator, indicatorVersion, parameters, output, ...input] = computationCanonical(computation);
  const timeframe = computation.timeframe === null ? null : timeframeLabel(computation.timeframe);
  return createHash("sha256").update(JSON.stringify([indicator, indicatorVersion, parameters, output, timeframe, ...input])).digest("hex");
}

/**
 * What a computation is, recursively and without names: indicator, algorithm version, parameters sorted by name,
 * output, then its input's canonical form when it is composed (a feature computed from bars keeps the fingerprint it
 * had before composition existed).
 */
function computationCanonical(computation: Pick<FeatureComputation, "indicator" | "indicatorVersion" | "parameters" | "output" | "input">): unknown[] {
  const parameters = Object.keys(computation.parameters)
    .sort()
    .map((name) => [name, computation.parameters[name]]);
  const canonical: unknown[] = [computation.indicator, computation.indicatorVersion, parameters, computation.output];
  if (computation.input !== null) canonical.push(computationCanonical(computation.input));
  return canonical;
}

/**
 * Fingerprint of a feature set, for a training job to store with its model: sha256 (hex) over the sorted
 * "name@version=fingerprint" lines, so it does not depend on the order the names were given in.
 */
export function featureSetFingerprint(definitions: readonly FeatureDefinition[]): string {
  const lines = definitions.map((definition) => `${definition.name}@${definition.version}=${definition.fingerprint}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}
