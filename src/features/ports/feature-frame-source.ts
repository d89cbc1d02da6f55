import type { FeatureFrame, FeatureQuery } from "../feature-frame";

/** Historical, point-in-time feature values of one series (implemented by FeatureRetrievalService). */
export interface FeatureFrameSource {
  /**
   * The closed bars of `query`'s range visible at its `asOf`, with one value column per requested feature.
   * @param signal when it aborts, the work stops (statements cancelled, no further computation) and rejects
   *   with `signal.reason`
   * @throws DomainError NOT_FOUND (symbol, feature), BAD_USER_INPUT (range, references), UNAVAILABLE (store)
   */
  retrieve(query: FeatureQuery, signal?: AbortSignal): Promise<FeatureFrame>;
}
