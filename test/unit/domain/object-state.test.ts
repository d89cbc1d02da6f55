import { deserialize, serialize } from "node:v8";
import { captureState, restoreState } from "../../../src/domain/object-state";

class Ring {
  readonly values = new Float64Array(3);
  next = 0;
  label = "ring";
  missing: number | undefined = undefined;
}

class Holder {
  readonly rings = [new Ring(), new Ring()];
  total = 0;
  method(): number {
    return this.total;
  }
}

describe("captureState and restoreState", () => {
  it("copy every field of an object graph out and back, bit for bit, keeping identities and classes", () => {
    const original = new Holder();
    original.rings[0].values.set([NaN, -0, 1e-300]);
    original.rings[1].next = 2;
    original.rings[1].missing = 7;
    original.total = 0.1 + 0.2;
    const state = deserialize(serialize(captureState(original)));
    original.rings[0].values[0] = 5; // the state shares no memory with the original
    const target = new Holder();
    const ring = target.rings[0];
    const values = ring.values;
    restoreState(target, state);
    expect(target.rings[0]).toBe(ring);
    expect(target.rings[0].values).toBe(values);
    expect(Object.is(values[0], NaN) && Object.is(values[1], -0) && values[2] === 1e-300).toBe(true);
    expect(target.rings[1]).toMatchObject({ next: 2, missing: 7, label: "ring" });
    expect(target.total).toBe(0.1 + 0.2);
    expect(target.method()).toBe(0.1 + 0.2);
  });

  it("leave fields holding functions to the target (behaviour chosen at construction)", () => {
    const double = (x: number) => 2 * x;
    const state = captureState({ formula: double, count: 3 });
    expect(state).toEqual({ count: 3 });
    const target = { formula: (x: number) => 2 * x, count: 0 };
    const formula = target.formula;
    restoreState(target, state);
    expect(target).toEqual({ formula, count: 3 });
  });

  it("refuse what is not data", () => {
    expect(() => captureState([() => 1])).toThrow(/state\[0\] is a function, not data/);
    expect(() => captureState({ seen: new Map() })).toThrow(/state.seen is a Map/);
    expect(() => captureState({ at: new Date() })).toThrow(/state.at is a Date/);
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(() => captureState(cycle)).toThrow(/refers back/);
  });

  it("refuse a state of another shape", () => {
    const state = captureState(new Ring());
    const longer = Object.assign(new Ring(), { values: new Float64Array(4) });
    expect(() => restoreState(longer, state)).toThrow(/state.values: expected a Float64Array of 4 numbers/);
    expect(() => restoreState(new Holder(), state)).toThrow(/fields \[values, next, label, missing\] do not match/);
    expect(() => restoreState(new Holder(), { rings: [captureState(new Ring())], total: 0 })).toThrow(RangeError);
    expect(() => restoreState(new Ring(), { values: new Int32Array(3), next: 0, label: "", missing: undefined })).toThrow(/Float64Array of 3/);
  });
});
