import { Readable, type Duplex } from "node:stream";
import { Field, Float64, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, TimestampMillisecond, Utf8, vectorFromArray, type Data, type DataType } from "apache-arrow";
import { stringify } from "csv-stringify";
import type { JoinResult } from "../features/point-in-time-join.service";
import type { ExportChunk, ExportPlan } from "../features/training-export.service";

/** The formats of a training export. */
export enum ExportFormat {
  ARROW = "arrow",
  CSV = "csv",
}

/** Media type of each format. */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  [ExportFormat.ARROW]: "application/vnd.apache.arrow.stream",
  [ExportFormat.CSV]: "text/csv; charset=utf-8",
};

/** The stages of an export, for `stream.pipeline(...stages, response)`: the rows or batches, and their encoder. */
export type ExportStages = readonly [Readable, Duplex];

/** A column of one batch: ticker text, a time (epoch ms, NaN for none) or a number (NaN for undefined). */
type Column = { readonly kind: "symbol"; readonly values: readonly string[] } | { readonly kind: "time" | "number"; readonly values: Float64Array; readonly nullable: boolean };

const BAR_COLUMNS = ["open", "high", "low", "close", "volume"] as const;

/** Column names of an export: symbol, open_time, the OHLCV fields, then each feature under the name it was asked for. */
export function exportColumns(plan: ExportPlan): string[] {
  return ["symbol", "open_time", ...BAR_COLUMNS, ...plan.request.features];
}

/** The requested names and the exact references they resolved to, for the Arrow schema's metadata. */
function featureMetadata(names: readonly string[], definitions: readonly { name: string; version: number }[]): string {
  return JSON.stringify(Object.fromEntries(names.map((name, index) => [name, `${definitions[index].name}@${definitions[index].version}`])));
}

/** The columns of an export chunk, in `exportColumns` order. */
function chunkColumns({ symbol, frame }: ExportChunk): Column[] {
  const { bars } = frame;
  return [
    { kind: "symbol", values: new Array<string>(bars.length).fill(symbol) },
    { kind: "time", values: bars.openTime, nullable: false },
    ...BAR_COLUMNS.map((name): Column => ({ kind: "number", values: bars[name], nullable: false })),
    ...frame.columns.map((column): Column => ({ kind: "number", values: column.values, nullable: true })),
  ];
}

/**
 * An export as an Apache Arrow IPC stream: one record batch per chunk; `open_time` is a UTC millisecond timestamp
 * (epoch ms), prices, volumes and features Float64, a feature null where undefined (warm-up). The schema's metadata
 * carries `features` (requested name → exact reference, JSON), `asOf` and `timeframe`. An export without bars is a
 * schema and one empty batch.
 */
export function arrowStream(plan: ExportPlan, chunks: AsyncIterable<ExportChunk>, timeframeLabel: string): ExportStages {
  const names = exportColumns(plan);
  const kinds: Column["kind"][] = ["symbol", "time", ...BAR_COLUMNS.map(() => "number" as const), ...plan.request.features.map(() => "number" as const)];
  const schema = arrowSchema(names, kinds, (index) => index >= 2 + BAR_COLUMNS.length, {
    features: featureMetadata(plan.request.features, plan.definitions),
    asOf: new Date(plan.asOf).toISOString(),
    timeframe: timeframeLabel,
  });
  async function* batches(): AsyncIterable<RecordBatch> {
    let sent = 0;
    for await (const chunk of chunks) {
      sent++;
      yield arrowBatch(schema, chunkColumns(chunk));
    }
    // A stream needs its schema even without bars.
    if (sent === 0) yield arrowBatch(schema, kinds.map((kind): Column => (kind === "symbol" ? { kind, values: [] } : { kind, values: new Float64Array(0), nullable: false })));
  }
  return [Readable.from(batches()), RecordBatchStreamWriter.throughNode()];
}

/** An export as CSV with a header line: open_time in epoch ms, an empty cell where a feature is undefined. */
export function csvStream(plan: ExportPlan, chunks: AsyncIterable<ExportChunk>): ExportStages {
  async function* rows(): AsyncIterable<(string | number | null)[]> {
    for await (const chunk of chunks) yield* csvRows(chunkColumns(chunk));
  }
  return [Readable.from(rows()), stringify({ header: true, columns: exportColumns(plan) })];
}

/** Column names of a point-in-time join: symbol, timestamp (the event's), open_time (the bar's), then the features. */
export function joinColumns(features: readonly string[]): string[] {
  return ["symbol", "timestamp", "open_time", ...features];
}

/** A point-in-time join in `format`, one row per event in request order; open_time null where no bar stood for it. */
export function joinStages(result: JoinResult, features: readonly string[], format: ExportFormat): ExportStages {
  const { rows } = result;
  const columns: Column[] = [
    { kind: "symbol", values: rows.map((row) => row.symbol) },
    { kind: "time", values: Float64Array.from(rows, (row) => row.timestamp), nullable: false },
    { kind: "time", values: Float64Array.from(rows, (row) => row.openTime ?? Number.NaN), nullable: true },
    ...features.map((_name, feature): Column => ({ kind: "number", values: Float64Array.from(rows, (row) => row.values[feature]), nullable: true })),
  ];
  const names = joinColumns(features);
  if (format === ExportFormat.CSV) return [Readable.from(csvRows(columns)), stringify({ header: true, columns: names })];
  const schema = arrowSchema(names, columns.map((column) => column.kind), (index) => index >= 2, {
    features: featureMetadata(features, result.definitions),
    asOf: new Date(result.asOf).toISOString(),
  });
  return [Readable.from([arrowBatch(schema, columns)]), RecordBatchStreamWriter.throughNode()];
}

function arrowType(kind: Column["kind"]): DataType {
  return kind === "symbol" ? new Utf8() : kind === "time" ? new TimestampMillisecond("UTC") : new Float64();
}

function arrowSchema(names: readonly string[], kinds: readonly Column["kind"][], nullable: (index: number) => boolean, metadata: Record<string, string>): Schema {
  return new Schema(names.map((name, index) => new Field(name, arrowType(kinds[index]), nullable(index))), new Map(Object.entries(metadata)));
}

function arrowBatch(schema: Schema, columns: readonly Column[]): RecordBatch {
  const length = columns[0].values.length;
  const children = columns.map((column): Data => {
    if (column.kind === "symbol") return vectorFromArray(column.values as string[], new Utf8()).data[0];
    const validity = column.nullable ? validityOf(column.values) : { bitmap: undefined, nulls: 0 };
    const nulls = { nullCount: validity.nulls, nullBitmap: validity.nulls > 0 ? validity.bitmap : undefined };
    if (column.kind === "number") return makeData({ type: new Float64(), length, data: column.values, ...nulls });
    const epochMs = BigInt64Array.from(column.values, (value) => (Number.isNaN(value) ? 0n : BigInt(value)));
    return makeData({ type: new TimestampMillisecond("UTC"), length, data: epochMs, ...nulls });
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children }));
}

/** Arrow's validity bitmap of `values`: NaN (undefined) is null. */
function validityOf(values: Float64Array): { bitmap: Uint8Array | undefined; nulls: number } {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let index = 0; index < values.length; index++) {
    if (Number.isNaN(values[index])) nulls++;
    else bitmap[index >> 3] |= 1 << (index & 7);
  }
  return { bitmap, nulls };
}

/** The rows of `columns` for csv-stringify: times and numbers as numbers, null (an empty cell) where NaN. */
function* csvRows(columns: readonly Column[]): Iterable<(string | number | null)[]> {
  const length = columns[0].values.length;
  for (let row = 0; row < length; row++) {
    yield columns.map((column) => {
      const value = column.values[row];
      return typeof value === "number" && Number.isNaN(value) ? null : value;
    });
  }
}
