import type { FeatureDefinition } from "../feature-definition";

/** A definition to store: everything but the storage id and registration time. */
export type NewFeatureDefinition = Omit<FeatureDefinition, "id" | "createdAt">;

/**
 * Storage of feature definitions (adapter: store/registry/FeatureDefinitionRepository). Every method rejects
 * with DomainError UNAVAILABLE when the store cannot be reached.
 */
export interface FeatureDefinitionStore {
  /** Every version of every definition, by name then version. */
  list(): Promise<FeatureDefinition[]>;
  /** The versions registered under each of `names` (one query), oldest first; unknown names map to []. */
  versionsOf(names: readonly string[]): Promise<Map<string, FeatureDefinition[]>>;
  /**
   * Stores a new version. Resolves to null when (name, version) is already taken (a concurrent
   * registration won), so the caller can re-read and decide again.
   */
  insert(definition: NewFeatureDefinition): Promise<FeatureDefinition | null>;
  /** Deprecated feature names, with why and since when. */
  deprecations(): Promise<Map<string, FeatureDeprecation>>;
  /** Deprecates `name` with `reason` (replacing an earlier reason), or lifts its deprecation (`reason` null). */
  setDeprecation(name: string, reason: string | null): Promise<void>;
}

/** Why and since when a feature name is deprecated. */
export interface FeatureDeprecation {
  readonly reason: string;
  /** Epoch ms. */
  readonly deprecatedAt: number;
}
