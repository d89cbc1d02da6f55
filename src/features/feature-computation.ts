import { composeIndicator, type ComputationOutput } from "../indicators/composed-indicator";
import { getIndicator } from "../indicators/registry";
import type { FeatureInput } from "./feature-definition";

/** The part of a definition (or of an input down its chain) that says what is computed. */
export type ComputedFeature = Pick<FeatureInput, "indicator" | "parameters" | "output" | "input">;

/**
 * What a feature computes: its indicator for a feature computed from bars, or for a composed one its indicator applied
 * to its input's computation (recursively down the chain), with the feature's parameters and the index of its output.
 * @throws DomainError NOT_FOUND when an indicator of the chain is no longer in the registry
 */
export function computationOfFeature(feature: ComputedFeature): ComputationOutput {
  const indicator = getIndicator(feature.indicator);
  const computation = feature.input === null ? indicator : composeIndicator(indicator, computationOfFeature(feature.input));
  return { computation, parameters: feature.parameters, output: indicator.outputs.findIndex((candidate) => candidate.name === feature.output) };
}
