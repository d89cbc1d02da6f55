import { pipeline } from "node:stream/promises";
import { json } from "body-parser";
import type { Request, Response } from "express";
import { z } from "zod";
import { Scope } from "../access/api-key";
import type { ApiKeyService } from "../access/api-key.service";
import { authorize, type Authentication } from "../access/authorization";
import { badUserInput, DomainError, ErrorCode } from "../domain/errors";
import { parseInstant } from "../domain/instant";
import { parseTimeframe, timeframeLabel } from "../domain/timeframe";
import type { PointInTimeJoinService } from "../features/point-in-time-join.service";
import type { ExportRequest, TrainingExportService } from "../features/training-export.service";
import { arrowStream, csvStream, EXPORT_MEDIA_TYPES, ExportFormat, joinStages, type ExportStages } from "./export-formats";
import type { Logger } from "./logger";

/** Where training exports and point-in-time joins are served. */
export const EXPORT_PATH = "/export";
export const JOIN_PATH = "/export/join";
/** Most events one POST /export/join may carry. */
export const MAX_HTTP_JOIN_EVENTS = 1_000_000;
/** Largest body of a point-in-time join (a million events). */
const JOIN_BODY_LIMIT = "100mb";

/** The HTTP status of each error code an export answers before it streams. */
const STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.UNAVAILABLE]: 503,
};

/** What the export routes are built from. */
export interface ExportRouteDependencies {
  readonly exports: TrainingExportService;
  readonly joins: PointInTimeJoinService;
  readonly apiKeys: ApiKeyService;
  readonly allowAnonymousReads: boolean;
  readonly logger: Logger;
  /** Spends from the request budgets of the address and key, as GraphQL requests do (undefined: no limits). */
  readonly spend?: (request: Request, authentication: Authentication) => Promise<void>;
}

/** A response ready to stream: its stages, media type and file name. */
interface Prepared {
  readonly stages: ExportStages;
  readonly format: ExportFormat;
  readonly fileName: string;
}

type Route = (request: Request, response: Response) => Promise<void>;

/**
 * GET /export?symbols=BTCUSDT,ETHUSDT&timeframe=1h&from=2024-01-01&to=2024-12-31T23:00Z&features=rsi_14,ema_20[&asOf=…]
 * [&format=arrow|csv]: bars and features of several symbols for training, streamed chunk by chunk (memory does not grow
 * with the range), as an Apache Arrow IPC stream (default) or CSV; open times in epoch milliseconds. The same `asOf`
 * semantics as `series`.
 */
export function exportRoute(dependencies: ExportRouteDependencies): Route {
  return serveExport(dependencies, async (request, signal) => {
    const format = formatOf(request, request.query.format);
    const plan = await dependencies.exports.prepare(exportRequestOf(request));
    const label = timeframeLabel(plan.request.timeframe);
    const chunks = dependencies.exports.chunks(plan, signal);
    return { format, fileName: `candela-${label}`, stages: format === ExportFormat.ARROW ? arrowStream(plan, chunks, label) : csvStream(plan, chunks) };
  });
}

/** The body of POST /export/join. */
const JOIN_BODY = z.object({
  timeframe: z.string(),
  features: z.array(z.string()).min(1),
  events: z.array(z.object({ symbol: z.string(), timestamp: z.union([z.string(), z.number()]) })).min(1).max(MAX_HTTP_JOIN_EVENTS),
  asOf: z.string().optional(),
  format: z.string().optional(),
});

/**
 * POST /export/join with JSON `{"timeframe": "1h", "features": ["rsi_14"], "events": [{"symbol": "BTCUSDT", "timestamp":
 * "2024-03-01T12:34:56Z"}, …], "asOf"?, "format"?: "arrow" | "csv"}` (timestamps ISO-8601, a date, or epoch ms; up to
 * 1,000,000 events): the point-in-time join, one row per event in request order: symbol, timestamp, open_time of the
 * bar it sees, then the features.
 */
export function joinRoute(dependencies: ExportRouteDependencies): Route {
  return serveExport(dependencies, async (request, signal, response) => {
    await readJsonBody(request, response);
    const parsed = JOIN_BODY.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badUserInput(`The body is not a join request: ${issue.path.join(".") || "body"}: ${issue.message}. Send JSON {"timeframe", "features", "events": [{"symbol", "timestamp"}]}.`);
    }
    const body = parsed.data;
    const format = formatOf(request, body.format);
    const events = body.events.map((event, index) => ({
      symbol: event.symbol,
      timestamp: typeof event.timestamp === "number" ? event.timestamp : parseInstant(`events.${index}.timestamp`, event.timestamp),
    }));
    const timeframe = parseTimeframe(body.timeframe);
    const result = await dependencies.joins.join({ events, timeframe, features: body.features, asOf: body.asOf === undefined ? undefined : parseInstant("asOf", body.asOf) }, MAX_HTTP_JOIN_EVENTS, signal);
    return { format, fileName: `candela-join-${timeframeLabel(timeframe)}`, stages: joinStages(result, body.features, format) };
  });
}

/**
 * Authenticates like GraphQL (the read scope, or anonymous reads; the same rate limits), prepares the answer and streams
 * it. A mistake is answered before any byte of data, as JSON `{ "error": { "code", "message" } }` with the matching
 * HTTP status; a failure in the middle of the stream cuts it (the client sees an incomplete stream, never wrong rows).
 */
function serveExport(dependencies: ExportRouteDependencies, prepare: (request: Request, signal: AbortSignal, response: Response) => Promise<Prepared>): Route {
  return async (request, response) => {
    const cancel = new AbortController();
    response.on("close", () => cancel.abort(new DomainError(ErrorCode.UNAVAILABLE, "the client closed the export")));
    let prepared: Prepared;
    try {
      const authentication = await dependencies.apiKeys.authenticate(headerOf(request, "authorization"));
      await dependencies.spend?.(request, authentication);
      authorize({ authentication, allowAnonymousReads: dependencies.allowAnonymousReads }, [Scope.READ], "export");
      prepared = await prepare(request, cancel.signal, response);
    } catch (error) {
      const known = error instanceof DomainError ? error : undefined;
      if (known === undefined) dependencies.logger.error({ err: error }, "export failed before streaming");
      response.status(known === undefined ? 500 : STATUS[known.code]).json({ error: { code: known?.code ?? "INTERNAL_SERVER_ERROR", message: known?.message ?? "Unexpected error." } });
      return;
    }
    response.setHeader("content-type", EXPORT_MEDIA_TYPES[prepared.format]);
    response.setHeader("content-disposition", `attachment; filename="${prepared.fileName}.${prepared.format === ExportFormat.ARROW ? "arrows" : "csv"}"`);
    await pipeline(...prepared.stages, response).catch((error: unknown) => {
      if (!cancel.signal.aborted) dependencies.logger.error({ err: error }, "export failed while streaming; the response was cut");
      response.destroy();
    });
  };
}

const parseJson = json({ limit: JOIN_BODY_LIMIT });

/** Reads the request's JSON body into `request.body`. @throws DomainError BAD_USER_INPUT (not JSON, too large) */
function readJsonBody(request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    parseJson(request, response, (error?: unknown) => {
      if (error === undefined) resolve();
      else reject(badUserInput(`The body is not a JSON join request of at most ${JOIN_BODY_LIMIT}: ${(error as { message?: string }).message ?? "unreadable"}.`));
    }),
  );
}

/** `format` ("arrow" | "csv"), else the Accept header (text/csv), else Arrow. @throws DomainError BAD_USER_INPUT */
function formatOf(request: Request, asked: unknown): ExportFormat {
  if (asked === undefined) return request.accepts([EXPORT_MEDIA_TYPES.arrow, "text/csv"]) === "text/csv" ? ExportFormat.CSV : ExportFormat.ARROW;
  if (asked === ExportFormat.ARROW || asked === ExportFormat.CSV) return asked;
  throw badUserInput(`format must be "arrow" or "csv", not ${JSON.stringify(String(asked).slice(0, 20))}.`);
}

/** The query string as an export request. @throws DomainError BAD_USER_INPUT naming the parameter */
function exportRequestOf(request: Request): ExportRequest {
  const text = (name: string, required: boolean): string | undefined => {
    const value = request.query[name];
    if (value === undefined && !required) return undefined;
    if (typeof value !== "string" || value.length === 0) throw badUserInput(`Give ${name} once, e.g. ${EXAMPLE}.`);
    return value;
  };
  const list = (name: string, required: boolean) => (text(name, required) ?? "").split(",").map((item) => item.trim()).filter((item) => item.length > 0);
  const asOf = text("asOf", false);
  return {
    symbols: list("symbols", true),
    timeframe: parseTimeframe(text("timeframe", true)!),
    from: parseInstant("from", text("from", true)!),
    to: parseInstant("to", text("to", true)!),
    features: list("features", false),
    asOf: asOf === undefined ? undefined : parseInstant("asOf", asOf),
  };
}

const EXAMPLE = "/export?symbols=BTCUSDT,ETHUSDT&timeframe=1h&from=2024-01-01&to=2024-12-31T23:00Z&features=rsi_14";

function headerOf(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
