import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

/**
 * Security headers on every response (helmet): no MIME sniffing, no framing (X-Frame-Options DENY and the policy's
 * frame-ancestors 'none'), HSTS, no referrer across origins, cross-origin isolation of resources, and a strict
 * Content-Security-Policy: scripts only from files of this origin (no inline script, no inline event handlers, no eval;
 * GraphiQL's and the chart page's scripts are files), connections (HTTP and WebSocket) only to this origin, no plugins, no <base>. Styles may be inline:
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
        scriptSrc: ["'self'"],
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
