import { sumDecimals } from "../../../src/domain/decimal-sum";

const sum = (values: number[]) => sumDecimals(values, 0, values.length);

describe("sumDecimals: the double nearest to the exact sum of the values' decimals", () => {
  it("adds decimals exactly where left-to-right addition of doubles drifts", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum([0.1, 0.2])).toBe(0.3);
    expect(sum([1.005, 2.01, 3.3])).toBe(6.315);
    expect(sum(Array.from({ length: 60 }, () => 0.01))).toBe(0.6);
  });

  it("keeps integers, mixed places, zero and a sub-range exact", () => {
    expect(sum([1, 2, 3])).toBe(6);
    expect(sum([12.34567891, 0.00000001, 100])).toBe(112.34567892);
    expect(sum([])).toBe(0);
    expect(sumDecimals([5, 0.1, 0.2, 7], 1, 3)).toBe(0.3);
  });

  it("falls back to compensated summation for values that are no short decimal, or sums past 2^53", () => {
    const third = 1 / 3;
    expect(sum([third, third, third])).toBe(1);
    expect(sum([9e15, 9e15, 1])).toBe(Number(9_000_000_000_000_000n * 2n + 1n));
    expect(sum([1e16, 1, -1e16])).toBe(1); // left to right: 0
  });
});
