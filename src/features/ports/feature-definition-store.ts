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
}
