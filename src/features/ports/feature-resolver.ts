import type { FeatureDefinition } from "../feature-definition";

/** Resolves client feature references to definitions (implemented by FeatureRegistryService). */
export interface FeatureResolver {
  /**
   * Resolves references ("rsi_14" = latest version, "rsi_14@2" = that version) to definitions, in the order given.
   * @throws DomainError BAD_USER_INPUT (malformed, repeated or too many references), NOT_FOUND (unknown name or
   *   version), UNAVAILABLE (definition store unreachable)
   */
  resolve(features: readonly string[]): Promise<FeatureDefinition[]>;
}
