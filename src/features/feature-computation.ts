import { composeIndicator } from "../indicators/composed-indicator";
import type { IndicatorComputation } from "../indicators/indicator";
import { getIndicator } from "../indicators/registry";
import type { FeatureInput } from "./feature-definition";

/** What a feature computes: a computation over bars and which of its outputs the feature takes. */
export interface FeatureComputationOutput {
  readonly computation: IndicatorComputation;
  /** Index among `computation.outputs`. */
  readonly output: number;
}

/** The part of a definition (or of an input down its chain) that says what is computed. */
export type ComputedFeature = Pick<FeatureInput, "indicator" | "parameters" | "output" | "input">;

/**
 * The computation of a feature: its indicator for a feature computed from bars; for a composed one, its indicator
 * applied to its input's computation (recursively down the chain).
 * @throws DomainError NOT_FOUND when an indicator of the chain is no longer in the registry
 */
export function featureComputation(feature: ComputedFeature): FeatureComputationOutput {
  const indicator = getIndicator(feature.indicator);
  const computation =
    feature.input === null ? indicator : composeIndicator(indicator, { ...featureComputation(feature.input), parameters: feature.input.parameters });
  return { computation, output: indicator.outputs.findIndex((candidate) => candidate.name === feature.output) };
}
