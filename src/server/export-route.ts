import { pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import { Scope } from "../access/api-key";
import type { ApiKeyService } from "../access/api-key.service";
import { authorize } from "../access/authorization";
import { badUserInput, DomainError, ErrorCode } from "../domain/errors";
import { parseInstant } from "../domain/instant";
import { parseTimeframe, timeframeLabel } from "../domain/timeframe";
import type { ExportRequest, TrainingExportService } from "../features/training-export.service";
import { arrowStream, csvStream, EXPORT_MEDIA_TYPES, ExportFormat } from "./export-formats";
import type { Logger } from "./logger";

/** Where training exports are served. */
export const EXPORT_PATH = "/export";

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

/** What the export route is built from. */
export interface ExportRouteDependencies {
  readonly exports: TrainingExportService;
  readonly apiKeys: ApiKeyService;
  readonly allowAnonymousReads: boolean;
  readonly logger: Logger;
  /** Spends from the request budgets of the address and key, as GraphQL requests do (undefined: no limits). */
  readonly spend?: (request: Request, authentication: Awaited<ReturnType<ApiKeyService["authenticate"]>>) => Promise<void>;
}

/**
 * GET /export?symbols=BTCUSDT,ETHUSDT&timeframe=1h&from=2024-01-01&to=2024-12-31T23:00Z&features=rsi_14,ema_20[&asOf=…]
 * [&format=arrow|csv]: bars and features of several symbols for training, streamed chunk by chunk (memory does not grow
 * with the range), as an Apache Arrow IPC stream (default) or CSV; open times in epoch milliseconds. Authenticated like
 * GraphQL (the read scope, or anonymous reads); the same `asOf` semantics as `series`. A mistake is answered before any
 * byte of data, as JSON `{ "error": { "code", "message" } }` with the matching HTTP status; a failure in the middle of
 * the stream cuts it (the client sees an incomplete stream, never wrong rows).
 */
export function exportRoute(dependencies: ExportRouteDependencies): (request: Request, response: Response) => Promise<void> {
  return async (request, response) => {
    let plan;
    let format: ExportFormat;
    const cancel = new AbortController();
    response.on("close", () => cancel.abort(new DomainError(ErrorCode.UNAVAILABLE, "the client closed the export")));
    try {
      const authentication = await dependencies.apiKeys.authenticate(headerOf(request, "authorization"));
      await dependencies.spend?.(request, authentication);
      authorize({ authentication, allowAnonymousReads: dependencies.allowAnonymousReads }, [Scope.READ], "export");
      format = formatOf(request);
      plan = await dependencies.exports.prepare(exportRequestOf(request));
    } catch (error) {
      const known = error instanceof DomainError ? error : undefined;
      if (known === undefined) dependencies.logger.error({ err: error }, "export failed before streaming");
      const code = known?.code ?? "INTERNAL_SERVER_ERROR";
      response.status(known === undefined ? 500 : STATUS[known.code]).json({ error: { code, message: known?.message ?? "Unexpected error." } });
      return;
    }
    const label = timeframeLabel(plan.request.timeframe);
    response.setHeader("content-type", EXPORT_MEDIA_TYPES[format]);
    response.setHeader("content-disposition", `attachment; filename="candela-${label}.${format === ExportFormat.ARROW ? "arrows" : "csv"}"`);
    const chunks = dependencies.exports.chunks(plan, cancel.signal);
    const stages = format === ExportFormat.ARROW ? arrowStream(plan, chunks, label) : csvStream(plan, chunks);
    await pipeline(...stages, response).catch((error: unknown) => {
      if (!cancel.signal.aborted) dependencies.logger.error({ err: error }, "export failed while streaming; the response was cut");
      response.destroy();
    });
  };
}

/** `format=arrow|csv`, else the Accept header (text/csv), else Arrow. @throws DomainError BAD_USER_INPUT */
function formatOf(request: Request): ExportFormat {
  const asked = typeof request.query.format === "string" ? request.query.format : undefined;
  if (asked === undefined) return request.accepts([EXPORT_MEDIA_TYPES.arrow, "text/csv"]) === "text/csv" ? ExportFormat.CSV : ExportFormat.ARROW;
  if (asked === ExportFormat.ARROW || asked === ExportFormat.CSV) return asked;
  throw badUserInput(`format must be "arrow" or "csv", not ${JSON.stringify(asked.slice(0, 20))}.`);
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
