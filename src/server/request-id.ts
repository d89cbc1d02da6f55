import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A client's request id is kept when it is 1 to 64 of these characters, else replaced. */
const ACCEPTED_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives the request its id, echoed in the `x-request-id` response header and written to every log line of the request:
 * the client's `x-request-id` when it is 1-64 of letters, digits, '.', '_' and '-', else a new UUID (so a client cannot
 * put arbitrary text in the logs). The request's header is set to the id, for the handlers after this one.
 * @returns the id
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers["x-request-id"];
  const id = typeof given === "string" && ACCEPTED_ID.test(given) ? given : randomUUID();
  request.headers["x-request-id"] = id;
  response.setHeader("x-request-id", id);
  return id;
}
