/**
 * The data held by an object graph (a streaming indicator, a ring of recent values), copied out as a plain tree and
 * copied back into an object of the same shape: how streaming state is checkpointed and resumed without knowing each
 * class. Only data is copied, never behaviour: numbers (NaN and -0 included), booleans, strings, null, undefined,
 * typed arrays, arrays and nested objects. Fields holding functions (a formula chosen at construction) are behaviour:
 * left out of the tree and kept by the target. The tree survives structured cloning (v8.serialize) bit for bit.
 */
export type ObjectState = number | boolean | string | null | undefined | TypedNumbers | ObjectState[] | { [field: string]: ObjectState };

type TypedNumbers = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

function isTypedNumbers(value: unknown): value is TypedNumbers {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/**
 * Copies the data of `value` (an object's own enumerable fields except those holding functions, recursively) into a
 * plain tree sharing no memory with it.
 * @throws RangeError when the graph holds something that is not data (a function where a value is expected, a Map,
 *   a Set, a Date, a Promise) or a cycle
 */
export function captureState(value: unknown, path = "state", seen = new Set<object>()): ObjectState {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if (isTypedNumbers(value)) return value.slice();
  if (typeof value !== "object") throw new RangeError(`${path} is a ${typeof value}, not data.`);
  if (seen.has(value)) throw new RangeError(`${path} refers back to an object already captured.`);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item, index) => captureState(item, `${path}[${index}]`, seen));
    const prototype = Object.getPrototypeOf(value);
    if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof Promise || prototype === null) {
      throw new RangeError(`${path} is a ${prototype?.constructor?.name ?? "null-prototype object"}, not plain data.`);
    }
    const tree: { [field: string]: ObjectState } = {};
    for (const [field, item] of Object.entries(value)) {
      if (typeof item !== "function") tree[field] = captureState(item, `${path}.${field}`, seen);
    }
    return tree;
  } finally {
    seen.delete(value);
  }
}

/**
 * Writes `state` (from `captureState` of an object of the same shape) into `target`: fields are assigned, typed
 * arrays filled in place, nested objects written recursively, so the target's identity and class are kept.
 * @throws RangeError when the shapes differ (other fields, array lengths, typed array kinds or lengths, a tree where
 *   a number is held); `target` may then be partly written and must be discarded
 */
export function restoreState(target: object, state: ObjectState, path = "state"): void {
  if (state === null || typeof state !== "object" || isTypedNumbers(state)) throw new RangeError(`${path}: expected the state of an object.`);
  const targetRecord = target as Record<string, unknown>;
  const stateRecord = state as Record<string, ObjectState>;
  const fields = Object.keys(target).filter((field) => typeof targetRecord[field] !== "function");
  const given = Object.keys(state);
  if (fields.length !== given.length || fields.some((field) => !(field in stateRecord))) {
    throw new RangeError(`${path}: fields [${given.join(", ")}] do not match the object's [${fields.join(", ")}].`);
  }
  for (const field of fields) {
    const current = targetRecord[field];
    const saved = stateRecord[field];
    const where = Array.isArray(target) ? `${path}[${field}]` : `${path}.${field}`;
    if (isTypedNumbers(current)) {
      if (!isTypedNumbers(saved) || saved[Symbol.toStringTag] !== current[Symbol.toStringTag] || saved.length !== current.length) {
        throw new RangeError(`${where}: expected a ${current.constructor.name} of ${current.length} numbers.`);
      }
      // By kind, not constructor: a deserialized array may come from another realm (a test VM).
      current.set(saved as never);
    } else if (current !== null && typeof current === "object") {
      restoreState(current, saved, where);
    } else if (saved !== null && typeof saved === "object") {
      throw new RangeError(`${where}: expected a ${typeof current}, got a tree.`);
    } else {
      targetRecord[field] = saved;
    }
  }
}
