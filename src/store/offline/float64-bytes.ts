import { endianness } from "node:os";

// bytea columns hold little-endian float64s; on the (little-endian) machines Candela runs on that is the
// memory layout of a Float64Array, so encoding and decoding are plain copies.
if (endianness() !== "LE") throw new Error("Candela's binary feature storage needs a little-endian machine.");

/** `values` as bytes for a bytea column: 8 bytes per value, little-endian float64 (NaN kept). */
export function float64ToBytes(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * The float64s in bytes read from a bytea column (copied: a Buffer from the driver need not be 8-byte aligned).
 * @throws Error when the length is not a multiple of 8 (corrupt storage)
 */
export function bytesToFloat64(bytes: Buffer): Float64Array {
  if (bytes.byteLength % 8 !== 0) throw new Error(`Stored float64 column of ${bytes.byteLength} bytes is not a multiple of 8.`);
  const values = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}
