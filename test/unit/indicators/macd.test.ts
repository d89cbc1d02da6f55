/** MACD's cross-parameter rule (the generic parameter checks are in indicator-contract.test.ts). */
import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { resolveParameters } from "../../../src/indicators/parameters";
import { getIndicator } from "../../../src/indicators/registry";

describe("macd", () => {
  it("rejects fastPeriod >= slowPeriod with BAD_USER_INPUT naming both", () => {
    for (const given of [{ fastPeriod: 26, slowPeriod: 12 }, { fastPeriod: 20, slowPeriod: 20 }]) {
      let thrown: unknown;
      try {
        resolveParameters(getIndicator("macd"), given);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      const error = thrown as DomainError;
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.message).toContain("fastPeriod");
      expect(error.message).toContain("slowPeriod");
    }
  });
});
