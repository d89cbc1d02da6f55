import type { LatestFeatureVector } from "../features/ports/online-feature-store";

/**
 * The online store's value format: a latest feature vector as JSON text
 * `{"openTime": <epoch ms>, "computedAt": <epoch ms>, "values": {"rsi_14": 61.2, "atr_14": null}}`,
 * shared by the Redis and in-memory stores so both accept and return exactly the same vectors.
 */

/**
 * A copy of `vector` with every non-finite value (NaN, ±Infinity) as null: undefined is null, never 0
 * and never a made-up number.
 * @throws Error when openTime or computedAt is not a finite number, or a value is neither number nor null
 */
export function normalizeVector(vector: LatestFeatureVector): LatestFeatureVector {
  if (!Number.isFinite(vector.openTime) || !Number.isFinite(vector.computedAt)) {
    throw new Error(`A latest feature vector needs finite openTime and computedAt (epoch ms); got ${vector.openTime} and ${vector.computedAt}.`);
  }
  const values: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(vector.values)) {
    if (value !== null && typeof value !== "number") throw new Error(`Feature "${name}" of a latest vector is ${typeof value}, not a number or null.`);
    values[name] = value !== null && Number.isFinite(value) ? value : null;
  }
  return { openTime: vector.openTime, computedAt: vector.computedAt, values };
}

/** JSON text of a normalized vector. */
export function encodeVector(vector: LatestFeatureVector): string {
  return JSON.stringify(normalizeVector(vector));
}

/**
 * The vector stored as `text`.
 * @throws Error when `text` is not a vector (the store holds something it did not write: a bug to surface)
 */
export function decodeVector(text: string, where: string): LatestFeatureVector {
  const parsed = JSON.parse(text) as Partial<LatestFeatureVector> | null;
  if (parsed === null || typeof parsed !== "object" || typeof parsed.openTime !== "number" || typeof parsed.computedAt !== "number" || typeof parsed.values !== "object" || parsed.values === null) {
    throw new Error(`The online store holds a malformed vector at ${where}.`);
  }
  return { openTime: parsed.openTime, computedAt: parsed.computedAt, values: parsed.values };
}
