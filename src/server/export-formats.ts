import { Readable, type Duplex } from "node:stream";
import { Field, Float64, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, TimestampMillisecond, Utf8, vectorFromArray, type Data } from "apache-arrow";
import { stringify } from "csv-stringify";
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

const BAR_COLUMNS = ["open", "high", "low", "close", "volume"] as const;

/** The stages of an export, for `stream.pipeline(...stages, response)`: the rows or batches, and their encoder. */
export type ExportStages = readonly [Readable, Duplex];

/** Column names of an export: symbol, open_time, the OHLCV fields, then each feature under the name it was asked for. */
export function exportColumns(plan: ExportPlan): string[] {
  return ["symbol", "open_time", ...BAR_COLUMNS, ...plan.request.features];
}

/**
 * An export as an Apache Arrow IPC stream: one record batch per chunk; `open_time` is a UTC millisecond timestamp
 * (epoch ms), prices, volumes and features Float64, a feature null where undefined (warm-up). The schema's metadata
 * carries `features` (requested name → exact reference, JSON), `asOf` and `timeframe`. An export without bars is a
 * schema and no batch.
 */
export function arrowStream(plan: ExportPlan, chunks: AsyncIterable<ExportChunk>, timeframeLabel: string): ExportStages {
  const features = Object.fromEntries(plan.request.features.map((name, index) => [name, `${plan.definitions[index].name}@${plan.definitions[index].version}`]));
  const fields = [
    new Field("symbol", new Utf8(), false),
    new Field("open_time", new TimestampMillisecond("UTC"), false),
    ...BAR_COLUMNS.map((name) => new Field(name, new Float64(), false)),
    ...plan.request.features.map((name) => new Field(name, new Float64(), true)),
  ];
  const schema = new Schema(fields, new Map([["features", JSON.stringify(features)], ["asOf", new Date(plan.asOf).toISOString()], ["timeframe", timeframeLabel]]));
  async function* batches(): AsyncIterable<RecordBatch> {
    let sent = 0;
    for await (const { symbol, frame } of chunks) {
      const { bars } = frame;
      const children: Data[] = [
        vectorFromArray(new Array<string>(bars.length).fill(symbol), new Utf8()).data[0],
        makeData({ type: new TimestampMillisecond("UTC"), length: bars.length, data: BigInt64Array.from(bars.openTime, BigInt) }),
        ...BAR_COLUMNS.map((name) => makeData({ type: new Float64(), length: bars.length, data: bars[name] })),
        ...frame.columns.map((column) => nullableFloat64(column.values)),
      ];
      sent++;
      yield new RecordBatch(schema, makeData({ type: new Struct(fields), length: bars.length, children }));
    }
    // A stream needs its schema even without bars.
    if (sent === 0) yield new RecordBatch(schema, makeData({ type: new Struct(fields), length: 0, children: fields.map((field) => makeData({ type: field.type, length: 0 })) }));
  }
  return [Readable.from(batches()), RecordBatchStreamWriter.throughNode()];
}

/** An export as CSV with a header line: open_time in epoch ms, an empty cell where a feature is undefined. */
export function csvStream(plan: ExportPlan, chunks: AsyncIterable<ExportChunk>): ExportStages {
  async function* rows(): AsyncIterable<(string | number | null)[]> {
    for await (const { symbol, frame } of chunks) {
      const { bars } = frame;
      for (let row = 0; row < bars.length; row++) {
        const values = frame.columns.map((column) => (Number.isNaN(column.values[row]) ? null : column.values[row]));
        yield [symbol, bars.openTime[row], bars.open[row], bars.high[row], bars.low[row], bars.close[row], bars.volume[row], ...values];
      }
    }
  }
  return [Readable.from(rows()), stringify({ header: true, columns: exportColumns(plan) })];
}

/** A Float64 column with a validity bitmap: NaN (undefined) becomes null. */
function nullableFloat64(values: Float64Array): Data<Float64> {
  const validity = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let index = 0; index < values.length; index++) {
    if (Number.isNaN(values[index])) nulls++;
    else validity[index >> 3] |= 1 << (index & 7);
  }
  return makeData({ type: new Float64(), length: values.length, nullCount: nulls, nullBitmap: nulls === 0 ? undefined : validity, data: values });
}
