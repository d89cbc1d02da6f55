import { badUserInput } from "../domain/errors";
import { parseFeatureReference } from "./feature-definition";
import type { FeatureRegistration, FeatureRegistryService, InputFeature } from "./feature-registry.service";
import type { FeatureDefinitionStore } from "./ports/feature-definition-store";

/** One entry of a features file: a definition to keep registered, or a name to deprecate. */
export type FeatureFileEntry =
  | { readonly kind: "definition"; readonly registration: FeatureRegistration }
  | { readonly kind: "deprecation"; readonly name: string; readonly reason: string };

/** What applying a features file does to one name. Values are the words the plan prints. */
export enum PlanAction {
  /** A new name: version 1 is registered. */
  CREATE = "create",
  /** A changed definition: the next version is registered (earlier versions and their values stay). */
  NEW_VERSION = "new version",
  /** A version already stores exactly this definition. */
  UNCHANGED = "unchanged",
  /** The name is deprecated: it takes no new registration; its versions and values stay readable. */
  DEPRECATE = "deprecate",
  /** Deprecated already, with the same reason. */
  STAYS_DEPRECATED = "stays deprecated",
}

/** One step of a plan. */
export interface PlanStep {
  readonly name: string;
  readonly action: PlanAction;
  /** The version the name resolves to once applied (undefined for a deprecated name that has none). */
  readonly version: number | undefined;
  /** True when a deprecation is lifted first (the file lists a deprecated name as a definition). */
  readonly liftsDeprecation: boolean;
  /** For deprecations: why. */
  readonly reason?: string;
  /**
   * For a composed definition: the feature it reads, pinned to a version ("rsi_14@1"). A name the file lists before
   * it means the version the file defines (even when a later version is registered), else the registered latest.
   */
  readonly input?: string;
}

/**
 * Declarative features (Feast's `feast apply`): a features file kept in git lists the definitions that must be
 * registered and the names that are deprecated. `plan` says what applying it would do, changing nothing; `apply` does
 * it, and applying the same file again changes nothing. Names the file does not mention are left alone.
 */
export class FeaturePlanService {
  constructor(
    private readonly store: FeatureDefinitionStore,
    private readonly registry: FeatureRegistryService,
  ) {}

  /**
   * What applying `entries` would do, in file order; nothing is written.
   * @throws DomainError BAD_USER_INPUT (an entry's name, parameters or output; a name given twice), NOT_FOUND (indicator)
   */
  async plan(entries: readonly FeatureFileEntry[]): Promise<PlanStep[]> {
    const names = entries.map((entry) => (entry.kind === "definition" ? entry.registration.name : entry.name));
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) throw badUserInput(`Feature "${repeated}" is listed twice in the file.`);
    const [versions, deprecations] = await Promise.all([this.store.versionsOf(names), this.store.deprecations()]);
    // Definitions as they will stand once applied, so that a composed feature may read one listed before it.
    const planned = new Map<string, InputFeature>();
    const steps: PlanStep[] = [];
    for (const entry of entries) {
      if (entry.kind === "deprecation") {
        const existing = versions.get(entry.name) ?? [];
        const same = deprecations.get(entry.name)?.reason === entry.reason;
        steps.push({ name: entry.name, action: same ? PlanAction.STAYS_DEPRECATED : PlanAction.DEPRECATE, version: existing.at(-1)?.version, liftsDeprecation: false, reason: entry.reason });
        continue;
      }
      const input = await this.inputOf(entry.registration.input, planned);
      const prepared = this.registry.prepare(entry.registration, input);
      const existing = versions.get(prepared.name) ?? [];
      const match = existing.find((definition) => definition.fingerprint === prepared.fingerprint);
      const latest = existing.at(-1)?.version;
      const version = match?.version ?? (latest ?? 0) + 1;
      const action = match !== undefined ? PlanAction.UNCHANGED : latest === undefined ? PlanAction.CREATE : PlanAction.NEW_VERSION;
      const pinnedInput = input === null ? undefined : `${input.name}@${input.version}`;
      steps.push({ name: prepared.name, action, version, liftsDeprecation: deprecations.has(prepared.name), input: pinnedInput });
      planned.set(prepared.name, { ...prepared.computation, name: prepared.name, version });
    }
    return steps;
  }

  /**
   * The feature a file entry reads: one listed before it in the file (as it will stand once applied) when the reference
   * names it without a version or with that version, else a registered one.
   * @throws DomainError BAD_USER_INPUT (malformed reference), NOT_FOUND (unknown feature or version)
   */
  private async inputOf(reference: string | undefined, planned: ReadonlyMap<string, InputFeature>): Promise<InputFeature | null> {
    if (reference === undefined) return null;
    const { name, version } = parseFeatureReference(reference);
    const listed = planned.get(name);
    if (listed !== undefined && (version === undefined || version === listed.version)) return listed;
    return (await this.registry.resolve([reference]))[0];
  }

  /**
   * Applies `entries`: lifts the deprecations the file no longer asks for, registers definitions, deprecates names.
   * @returns the plan that was carried out
   * @throws as `plan`; DomainError UNAVAILABLE (store)
   */
  async apply(entries: readonly FeatureFileEntry[]): Promise<PlanStep[]> {
    const steps = await this.plan(entries);
    for (const [index, entry] of entries.entries()) {
      const step = steps[index];
      if (entry.kind === "deprecation") {
        if (step.action === PlanAction.DEPRECATE) await this.store.setDeprecation(entry.name, entry.reason);
        continue;
      }
      if (step.liftsDeprecation) await this.store.setDeprecation(step.name, null);
      await this.registry.register({ ...entry.registration, input: step.input });
    }
    return steps;
  }
}
