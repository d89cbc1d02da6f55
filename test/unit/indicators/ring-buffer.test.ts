import { RingBuffer } from "../../../src/indicators/ring-buffer";

describe("RingBuffer", () => {
  it("ago(k) is the value pushed k pushes ago, 0 before it was filled", () => {
    const ring = new RingBuffer(3);
    ring.push(1);
    expect([ring.ago(0), ring.ago(1), ring.ago(2)]).toEqual([1, 0, 0]);
    for (const x of [2, 3, 4]) ring.push(x);
    expect([ring.ago(0), ring.ago(1), ring.ago(2)]).toEqual([4, 3, 2]);
  });

  it("pushAndOldest(x) stores x and returns what ago(capacity - 1) returns after a push", () => {
    for (const capacity of [1, 2, 3, 7]) {
      const fused = new RingBuffer(capacity);
      const reference = new RingBuffer(capacity);
      for (let x = 1; x <= 3 * capacity + 2; x++) {
        reference.push(x);
        expect(fused.pushAndOldest(x)).toBe(reference.ago(capacity - 1));
        expect(fused.ago(0)).toBe(x);
      }
    }
  });

  it("pushAndOldest(x) on a ring of capacity n returns the value pushed n - 1 pushes before x", () => {
    const ring = new RingBuffer(4);
    const returned = [10, 20, 30, 40, 50, 60].map((x) => ring.pushAndOldest(x));
    expect(returned).toEqual([0, 0, 0, 10, 20, 30]);
  });
});
