import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

/** Each response's script nonce, made when the policy or the page first asks for it. */
const nonces = new WeakMap<ServerResponse, string>();

/**
 * The nonce that lets this response's own inline scripts run (GraphiQL's two bundled scripts) under the policy of
 * `securityHeaders`: 128 random bits, base64.
 */
export function scriptNonce(response: ServerResponse): string {
  let nonce = nonces.get(response);
  if (nonce === undefined) {
    nonce = randomBytes(16).toString("base64");
    nonces.set(response, nonce);
  }
  return nonce;
}

/**
 * Security headers on every response (helmet): no MIME sniffing, no framing (X-Frame-Options DENY and the policy's
 * frame-ancestors 'none'), HSTS, no referrer across origins, cross-origin isolation of resources, and a strict
 * Content-Security-Policy: scripts only from this origin or carrying the response's nonce (no inline event handlers,
 * no eval), connections (HTTP and WebSocket) only to this origin, no plugins, no <base>. Styles may be inline:
 * GraphiQL's editor writes style attributes.
 * @returns a connect-style middleware; `next` continues to the route
 */
export function securityHeaders(): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
  return helmet({
    // DENY, like frame-ancestors 'none', for browsers that ignore the policy (helmet's default is SAMEORIGIN).
    xFrameOptions: { action: "deny" },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_request, response) => `'nonce-${scriptNonce(response as ServerResponse)}'`],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", "blob:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
}
