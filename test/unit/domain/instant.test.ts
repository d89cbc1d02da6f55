import { DomainError, ErrorCode } from "../../../src/domain/errors";
import { dateOnlyInstant, isoInstant, parseInstant } from "../../../src/domain/instant";

describe("instants given as text", () => {
  it("reads ISO-8601 with a zone (Z or an offset, seconds and fraction optional) and a date alone as 00:00 UTC", () => {
    expect(parseInstant("--from", "2024-01-01")).toBe(Date.UTC(2024, 0, 1));
    expect(parseInstant("--from", "2024-01-01T09:30Z")).toBe(Date.UTC(2024, 0, 1, 9, 30));
    expect(parseInstant("--from", "2024-01-01T10:30:00.250+01:00")).toBe(Date.UTC(2024, 0, 1, 9, 30, 0, 250));
    expect(parseInstant("--from", "2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });

  it.each(["2022-02-30", "2022-02-30T00:00:00Z", "2023-02-29", "2024-13-01", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00", "01/02/2024", "yesterday"])(
    "refuses %s, which is no instant (dates that do not exist are not rolled over)",
    (text) => {
      expect(() => parseInstant("from", text)).toThrow(DomainError);
      expect(() => parseInstant("from", text)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT, message: expect.stringMatching(/^from ".*" is not an instant/) }));
    },
  );

  it("tells each form apart", () => {
    expect(dateOnlyInstant("2024-01-01T00:00:00Z")).toBeUndefined();
    expect(isoInstant("2024-01-01")).toBeUndefined();
  });
});
