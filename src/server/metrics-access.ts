import { createHash, timingSafeEqual } from "node:crypto";

/** Why /metrics refuses a scrape: the HTTP status and a message saying what to send. */
export interface MetricsRefusal {
  readonly status: number;
  readonly message: string;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * Who may scrape /metrics (operation names, memory, the Node version: not for anyone who reaches the port). With a
 * token (CANDELA_METRICS_TOKEN), scrapes must send `Authorization: Bearer <token>` (compared in constant time).
 * Without one, /metrics is open when anonymous reads are (a developer's machine) and closed otherwise.
 * @returns a check of a request's Authorization header: undefined to serve, else the refusal
 */
export function metricsAccess(token: string | undefined, allowAnonymousReads: boolean): (authorization: string | undefined) => MetricsRefusal | undefined {
  if (token === undefined) {
    const closed: MetricsRefusal = {
      status: 403,
      message: "/metrics is closed in production mode until CANDELA_METRICS_TOKEN is set; scrapers then send `Authorization: Bearer <token>`.",
    };
    return () => (allowAnonymousReads ? undefined : closed);
  }
  const expected = digest(`Bearer ${token}`);
  const refused: MetricsRefusal = { status: 401, message: "/metrics needs `Authorization: Bearer <CANDELA_METRICS_TOKEN>`." };
  return (authorization) => (authorization !== undefined && timingSafeEqual(digest(authorization.trim()), expected) ? undefined : refused);
}
