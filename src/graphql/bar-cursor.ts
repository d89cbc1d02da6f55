import { badUserInput, quoteInput } from "../domain/errors";

const PREFIX = "bar:";

/** The opaque pagination cursor of the bar opening at `openTime` (epoch ms). */
export function encodeBarCursor(openTime: number): string {
  return Buffer.from(`${PREFIX}${openTime}`, "utf8").toString("base64url");
}

/**
 * The open time (epoch ms) inside a cursor made by {@link encodeBarCursor}.
 * @throws DomainError BAD_USER_INPUT when the cursor was not issued by `bars`
 */
export function decodeBarCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const openTime = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isSafeInteger(openTime)) {
    throw badUserInput(`Invalid cursor ${quoteInput(cursor)}: pass the \`endCursor\` or an edge \`cursor\` returned by \`bars\`.`);
  }
  return openTime;
}
