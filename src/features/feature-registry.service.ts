import { LRUCache } from "lru-cache";
import { badUserInput, notFound } from "../domain/errors";
import { timeframeLabel, type Timeframe } from "../domain/timeframe";
import { resolveParameters } from "../indicators/parameters";
import { getIndicator } from "../indicators/registry";
import { checkComposable } from "../indicators/composed-indicator";
import {
  asFeatureInput,
  definitionFingerprint,
  parseFeatureReference,
  validateFeatureName,
  type FeatureComputation,
  type FeatureDefinition,
  type FeatureInput,
} from "./feature-definition";
import { windowRegistrations } from "./indicator-windows";
import type { FeatureDefinitionStore, FeatureDeprecation } from "./ports/feature-definition-store";
import type { FeatureResolver } from "./ports/feature-resolver";

/** What a client registers; parameters may omit defaults, `output` may be omitted for single-output indicators. */
export interface FeatureRegistration {
  readonly name: string;
  readonly indicator: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly output?: string;
  readonly timeframe: Timeframe | null;
  readonly description?: string;
  /**
   * For a composed feature: the feature ("rsi_14" for its latest version, "rsi_14@2") whose values the indicator reads
   * instead of the close; the indicator must read the close alone.
   */
  readonly input?: string;
}

/** The feature a composed registration reads: what it computes, its name and version, and its timeframe scope. */
export type InputFeature = FeatureInput & Pick<FeatureDefinition, "timeframe">;

/** A registration checked and completed: what `register` stores and the fingerprint that identifies it. */
export interface PreparedRegistration {
  readonly name: string;
  readonly computation: FeatureComputation;
  readonly fingerprint: string;
}

/** The registered definition and whether this call created it (false: an identical one existed). */
export interface RegistrationResult {
  readonly definition: FeatureDefinition;
  readonly created: boolean;
}

/**
 * How long resolved versions of a name are reused in this process. Definitions never change, but a newer
 * version registered by another server instance becomes "latest" here only after this long.
 */
export const VERSIONS_CACHE_TTL_MS = 5_000;

/** Registers feature definitions and resolves client references to them. */
export class FeatureRegistryService implements FeatureResolver {
  /** Versions by feature name (hot path of every feature query). */
  private readonly versionsCache = new LRUCache<string, FeatureDefinition[]>({ max: 10_000, ttl: VERSIONS_CACHE_TTL_MS });

  constructor(private readonly store: FeatureDefinitionStore) {}

  /**
   * Registers a definition. The same definition again returns the existing version; a changed one under an
   * existing name becomes the next version (old versions and their stored values are never altered). A composed
   * registration's `input` is resolved now ("rsi_14" = its latest version) and stored with its whole chain.
   * @throws DomainError BAD_USER_INPUT (name, parameters, output, an input the indicator cannot take, a timeframe other
   *   than the input's), NOT_FOUND (indicator, input feature or version)
   */
  async register(registration: FeatureRegistration): Promise<RegistrationResult> {
    const input = registration.input === undefined ? null : (await this.resolve([registration.input]))[0];
    const { name, computation, fingerprint } = this.prepare(registration, input);
    const deprecation = (await this.store.deprecations()).get(name);
    if (deprecation !== undefined) {
      throw badUserInput(
        `Feature "${name}" is deprecated (${deprecation.reason}): its versions and values stay readable, but it takes no new definition. ` +
          "Register under another name, or lift the deprecation (list it without `deprecated` in the features file and run `npm run apply`).",
      );
    }
    // A concurrent registration may take the next version first: re-read and decide again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const versions = (await this.store.versionsOf([name])).get(name) ?? [];
      const existing = versions.find((definition) => definition.fingerprint === fingerprint);
      if (existing !== undefined) return { definition: existing, created: false };
      const inserted = await this.store.insert({
        ...computation,
        name,
        version: versions.length === 0 ? 1 : versions[versions.length - 1].version + 1,
        description: registration.description ?? "",
        fingerprint,
      });
      if (inserted !== null) {
        this.versionsCache.delete(name); // "latest" changed: visible at once in this process
        return { definition: inserted, created: true };
      }
    }
    throw new Error(`Could not register feature "${name}": the version kept changing under concurrent registrations.`);
  }

  /**
   * Registers `registration` once per window (`<name>_<window>`, `period` = the window; see windowRegistrations). Every
   * registration is checked before the first is stored, so a mistake in any stores none.
   * @returns one result per window, in the list's order
   * @throws DomainError as `register` and expandWindows
   */
  async registerWindows(registration: FeatureRegistration, windows: readonly number[]): Promise<RegistrationResult[]> {
    const registrations = windowRegistrations(registration, windows);
    const input = registration.input === undefined ? null : (await this.resolve([registration.input]))[0];
    for (const each of registrations) this.prepare(each, input);
    const results: RegistrationResult[] = [];
    for (const each of registrations) results.push(await this.register(each));
    return results;
  }

  /**
   * What a registration would store, checked: its name, the computation (defaults filled in, the output named, the
   * input's chain and timeframe scope taken over) and the computation's fingerprint, which tells whether a version
   * already stores it.
   * @param input the definition `registration.input` names, resolved by the caller; null when it names none
   * @throws DomainError BAD_USER_INPUT (name, parameters, output, an indicator that cannot take an input, a timeframe
   *   other than the input's), NOT_FOUND (indicator)
   */
  prepare(registration: FeatureRegistration, input: InputFeature | null): PreparedRegistration {
    const name = validateFeatureName(registration.name);
    const indicator = getIndicator(registration.indicator);
    if (input !== null) checkComposable(indicator);
    const parameters = resolveParameters(indicator, registration.parameters);
    const output = registration.output ?? (indicator.outputs.length === 1 ? indicator.outputs[0].name : undefined);
    const outputs = indicator.outputs.map((candidate) => candidate.name);
    if (output === undefined || !outputs.includes(output)) {
      throw badUserInput(
        `${output === undefined ? "Name the output" : `Indicator "${indicator.id}" has no output "${output}"`}: ` +
          `"${indicator.id}" has outputs ${outputs.join(", ")}.`,
      );
    }
    const computation: FeatureComputation = {
      indicator: indicator.id,
      indicatorVersion: indicator.version,
      parameters,
      output,
      timeframe: composedTimeframe(registration.timeframe, input),
      input: input === null ? null : asFeatureInput(input),
    };
    return { name, computation, fingerprint: definitionFingerprint(computation) };
  }

  /** Versions by name, from the process cache where fresh, else from the store in one query. */
  private async versionsOf(names: readonly string[]): Promise<Map<string, FeatureDefinition[]>> {
    const result = new Map<string, FeatureDefinition[]>();
    const missing: string[] = [];
    for (const name of names) {
      const cached = this.versionsCache.get(name);
      if (cached === undefined) missing.push(name);
      else result.set(name, cached);
    }
    if (missing.length > 0) {
      for (const [name, versions] of await this.store.versionsOf(missing)) {
        // Unknown names are not cached: registering them must take effect at once.
        if (versions.length > 0) this.versionsCache.set(name, versions);
        result.set(name, versions);
      }
    }
    return result;
  }

  /** Deprecated names with why and since when. */
  deprecations(): Promise<Map<string, FeatureDeprecation>> {
    return this.store.deprecations();
  }

  /** Every definition, by name then version. */
  list(): Promise<FeatureDefinition[]> {
    return this.store.list();
  }

  /**
   * Resolves references ("rsi_14" = latest version, "rsi_14@2") to definitions, in the given order.
   * @throws DomainError BAD_USER_INPUT (malformed or repeated), NOT_FOUND (unknown name or version)
   */
  async resolve(features: readonly string[]): Promise<FeatureDefinition[]> {
    const parsed = features.map((text) => ({ text, reference: parseFeatureReference(text) }));
    const versionsByName = await this.versionsOf([...new Set(parsed.map(({ reference }) => reference.name))]);
    const resolved: FeatureDefinition[] = [];
    for (const { text, reference } of parsed) {
      const versions = versionsByName.get(reference.name) ?? [];
      const definition = reference.version === undefined ? versions[versions.length - 1] : versions.find((candidate) => candidate.version === reference.version);
      if (definition === undefined) {
        throw notFound(
          versions.length === 0
            ? `Unknown feature "${reference.name}". Register it with \`registerFeature\`; \`featureDefinitions\` lists the known ones.`
            : `Feature "${reference.name}" has no version ${reference.version}; its versions are 1..${versions.length}.`,
          { feature: text },
        );
      }
      if (resolved.some((other) => other.id === definition.id)) throw badUserInput(`Feature "${text}" is named twice.`);
      resolved.push(definition);
    }
    return resolved;
  }
}

/**
 * The timeframe scope of a feature: the registration's, or its input's when it reads a feature restricted to one.
 * @throws DomainError BAD_USER_INPUT when both name a timeframe and they differ
 */
function composedTimeframe(timeframe: Timeframe | null, input: InputFeature | null): Timeframe | null {
  if (input === null || input.timeframe === null) return timeframe;
  if (timeframe !== null && timeframe !== input.timeframe) {
    throw badUserInput(
      `Feature "${input.name}@${input.version}" is restricted to ${timeframeLabel(input.timeframe)}: a feature built on it cannot be restricted to ${timeframeLabel(timeframe)}.`,
    );
  }
  return input.timeframe;
}
