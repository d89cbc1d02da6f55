import type { LatestFeatureVector } from "../features/ports/online-feature-store";

/**
 * The online store's rules and value format, shared by the Redis and in-memory stores so both accept and return
 * exactly the same vectors. In Redis a vector is a hash: `openTime`, `revision`, `computedAt` (epoch ms and an
 * integer, as decimal text) and one field `f:<reference>` per feature (e.g. `f:rsi_14@1`) holding the value as
 * JavaScript's shortest round-trip decimal text ("-0" for negative zero, so every double comes back bit for bit) or
 * `null`.
 */

/** Hash field prefix of feature values. */
const VALUE_FIELD = "f:";

/**
 * A copy of `vector` with every non-finite value (NaN, ±Infinity) as null: undefined is null, never 0
 * and never a made-up number.
 * @throws Error when openTime, computedAt or revision is not a finite number, or a value is neither number nor null
 */
export function normalizeVector(vector: LatestFeatureVector): LatestFeatureVector {
  if (!Number.isFinite(vector.openTime) || !Number.isFinite(vector.computedAt) || !Number.isInteger(vector.revision)) {
    throw new Error(`A latest feature vector needs finite openTime and computedAt (epoch ms) and an integer revision; got ${vector.openTime}, ${vector.computedAt}, ${vector.revision}.`);
  }
  const values: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(vector.values)) {
    if (value !== null && typeof value !== "number") throw new Error(`Feature "${name}" of a latest vector is ${typeof value}, not a number or null.`);
    values[name] = value !== null && Number.isFinite(value) ? value : null;
  }
  return { openTime: vector.openTime, computedAt: vector.computedAt, revision: vector.revision, values };
}

/**
 * What the store holds after `incoming` is written over `stored` (undefined: nothing stored yet): `stored` when
 * `incoming` belongs to an older bar or, for the same bar, to a lower revision; `incoming` when it belongs to a newer
 * bar or a higher revision; for the same bar and revision, both vectors' values merged (incoming wins per feature).
 */
export function mergeLatest(stored: LatestFeatureVector | undefined, incoming: LatestFeatureVector): LatestFeatureVector {
  if (stored === undefined || incoming.openTime > stored.openTime || (incoming.openTime === stored.openTime && incoming.revision > stored.revision)) return incoming;
  if (incoming.openTime < stored.openTime || incoming.revision < stored.revision) return stored;
  return { ...incoming, values: { ...stored.values, ...incoming.values } };
}

/** A number as decimal text that reads back bit for bit (String() drops the sign of -0). */
function numberText(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/** The hash fields and values (alternating) that store a normalized vector in Redis. */
export function vectorToHashFields(vector: LatestFeatureVector): string[] {
  const fields = ["openTime", String(vector.openTime), "revision", String(vector.revision), "computedAt", String(vector.computedAt)];
  for (const [reference, value] of Object.entries(vector.values)) fields.push(`${VALUE_FIELD}${reference}`, value === null ? "null" : numberText(value));
  return fields;
}

/**
 * The vector stored as the Redis hash `fields` (HGETALL's reply); undefined for an empty hash (no vector).
 * @throws Error when the hash is not a vector (the store holds something it did not write: a bug to surface)
 */
export function vectorFromHash(fields: Record<string, string>, where: string): LatestFeatureVector | undefined {
  if (Object.keys(fields).length === 0) return undefined;
  const openTime = Number(fields.openTime);
  const revision = Number(fields.revision);
  const computedAt = Number(fields.computedAt);
  if (!Number.isFinite(openTime) || !Number.isInteger(revision) || !Number.isFinite(computedAt)) {
    throw new Error(`The online store holds a malformed vector at ${where}.`);
  }
  const values: Record<string, number | null> = {};
  for (const [field, text] of Object.entries(fields)) {
    if (field.startsWith(VALUE_FIELD)) values[field.slice(VALUE_FIELD.length)] = text === "null" ? null : Number(text);
  }
  return { openTime, revision, computedAt, values };
}
