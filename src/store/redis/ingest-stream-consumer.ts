import type { Redis } from "ioredis";
import { DomainError, ErrorCode } from "../../domain/errors";
import { seriesKey } from "../../domain/series-key";
import type { Timeframe } from "../../domain/timeframe";
import type { LiveBar, LiveIngestService } from "../../ingest/live-ingest.service";
import { parseStreamEntry } from "../../ingest/stream-entry";

/** What the consumer reports (logs, metrics). */
export type IngestStreamEvent =
  | { readonly kind: "ingested"; readonly entries: number }
  | { readonly kind: "dead-lettered"; readonly id: string; readonly reason: string }
  | { readonly kind: "claimed"; readonly entries: number }
  | { readonly kind: "failed"; readonly error: unknown };

/** What the ingest stream consumer is built from. */
export interface IngestStreamOptions {
  /** A connection of its own: blocking reads hold it. */
  readonly redis: Redis;
  /** The stream producers append bars to, e.g. "candela:ingest"; rejected entries go to `<stream>:dead`. */
  readonly stream: string;
  /** The consumer group every server instance reads in, e.g. "candela". */
  readonly group: string;
  /** This instance's name within the group (unique per process). */
  readonly consumer: string;
  readonly ingest: Pick<LiveIngestService, "ingest">;
  /** Entries read per round. Default 500. */
  readonly batchSize?: number;
  /** Longest wait for new entries per round, ms. Default 1000. */
  readonly blockMs?: number;
  /** Entries pending this long at another consumer (crashed) are claimed, ms. Default 30000. */
  readonly claimIdleMs?: number;
  readonly onEvent?: (event: IngestStreamEvent) => void;
  /** Epoch ms. */
  readonly clock?: () => number;
}

/** One entry: its stream id and fields. */
interface StreamEntry {
  readonly id: string;
  readonly fields: Record<string, string>;
}

/** Longest pause after a failed round, ms. */
const MAX_BACKOFF_MS = 5_000;
/** Dead letters kept, approximately. */
const DEAD_LETTER_MAX_LENGTH = 100_000;

/**
 * The second entrance of the live ingest pipeline: reads bars that external ingestors append to a Redis Stream, as
 * one consumer of a consumer group shared by every server instance. Each entry is parsed and validated as a CSV row
 * is; a rejected entry goes to the dead-letter stream `<stream>:dead` with its fields, its id and the reason, and is
 * acknowledged. Valid entries are ingested per series in stream order (LiveIngestService: one writer per series,
 * duplicates no-ops) and acknowledged only after their bars are committed, so a crash never loses an entry: entries
 * left pending by a consumer that stopped are claimed by another after `claimIdleMs`, and applying one again changes
 * nothing. When the database or Redis fails, the round's entries stay pending and are retried with backoff.
 */
export class IngestStreamConsumer {
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly clock: () => number;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastSuccess = 0;

  constructor(private readonly options: IngestStreamOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.blockMs = options.blockMs ?? 1_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Starts consuming in the background (creating the stream and the group when missing). */
  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after the round under way (at most `blockMs` plus its ingest). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** True when a round succeeded within the last few blocking periods (for health checks). */
  get healthy(): boolean {
    return this.clock() - this.lastSuccess < 3 * this.blockMs + 2_000;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let retryPending = true;
    while (!this.stopped) {
      try {
        await this.ensureGroup();
        // First what this consumer read before and did not acknowledge (a failed round, a restart under the same name).
        if (retryPending) await this.process(await this.read("0", false));
        retryPending = false;
        await this.process(await this.claimAbandoned());
        await this.process(await this.read(">", true));
        this.lastSuccess = this.clock();
        failures = 0;
      } catch (error) {
        this.options.onEvent?.({ kind: "failed", error });
        retryPending = true;
        failures++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6))));
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.options.redis.xgroup("CREATE", this.options.stream, this.options.group, "0", "MKSTREAM");
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("BUSYGROUP"))) throw error;
    }
  }

  /** Entries after `id` for this consumer: ">" new ones (blocking), "0" its own pending ones. */
  private async read(id: string, block: boolean): Promise<StreamEntry[]> {
    const { redis, group, consumer, stream } = this.options;
    const reply = block
      ? await redis.xreadgroup("GROUP", group, consumer, "COUNT", this.batchSize, "BLOCK", this.blockMs, "STREAMS", stream, id)
      : await redis.xreadgroup("GROUP", group, consumer, "COUNT", this.batchSize, "STREAMS", stream, id);
    const entries = (reply as [string, [string, string[] | null][]][] | null)?.[0]?.[1] ?? [];
    return entries.filter(([, fields]) => fields !== null).map(([entryId, fields]) => ({ id: entryId, fields: fieldsOf(fields as string[]) }));
  }

  /** Entries another consumer left pending longer than `claimIdleMs`, now this consumer's. */
  private async claimAbandoned(): Promise<StreamEntry[]> {
    const { redis, stream, group, consumer } = this.options;
    const reply = (await redis.xautoclaim(stream, group, consumer, this.claimIdleMs, "0-0", "COUNT", this.batchSize)) as [string, [string, string[]][]];
    const entries = reply[1].map(([id, fields]) => ({ id, fields: fieldsOf(fields) }));
    if (entries.length > 0) this.options.onEvent?.({ kind: "claimed", entries: entries.length });
    return entries;
  }

  /** Dead-letters invalid entries, ingests the valid ones series by series, acknowledging each after its commit. */
  private async process(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.clock();
    const bySeries = new Map<string, { symbol: string; timeframe: Timeframe; items: { id: string; bar: LiveBar }[] }>();
    for (const entry of entries) {
      const parsed = parseStreamEntry(entry.fields, now);
      if ("error" in parsed) {
        await this.deadLetter(entry, parsed.error);
        continue;
      }
      const key = seriesKey(parsed.symbol, parsed.timeframe);
      const series = bySeries.get(key) ?? { symbol: parsed.symbol, timeframe: parsed.timeframe, items: [] };
      series.items.push({ id: entry.id, bar: parsed.bar });
      bySeries.set(key, series);
    }
    for (const { symbol, timeframe, items } of bySeries.values()) {
      for (const run of runsWithoutRepeats(items)) {
        try {
          await this.options.ingest.ingest(symbol, timeframe, run.map((item) => item.bar));
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
          for (const item of run) await this.deadLetter(entries.find((entry) => entry.id === item.id)!, error.message);
          continue;
        }
        await this.options.redis.xack(this.options.stream, this.options.group, ...run.map((item) => item.id));
        this.options.onEvent?.({ kind: "ingested", entries: run.length });
      }
    }
  }

  private async deadLetter(entry: StreamEntry, reason: string): Promise<void> {
    const { redis, stream, group } = this.options;
    const fields = Object.entries(entry.fields).flat();
    await redis.xadd(`${stream}:dead`, "MAXLEN", "~", DEAD_LETTER_MAX_LENGTH, "*", ...fields, "entryId", entry.id, "reason", reason);
    await redis.xack(stream, group, entry.id);
    this.options.onEvent?.({ kind: "dead-lettered", id: entry.id, reason });
  }
}

/** A stream entry's alternating field names and values as a record (a name given twice keeps its last value). */
function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (let index = 0; index + 1 < flat.length; index += 2) fields[flat[index]] = flat[index + 1];
  return fields;
}

/**
 * The items split into consecutive runs in which no open time repeats, in order: a bar sent again later in the
 * stream (a correction, or a forming bar updated) is applied after the one before it, as the producer sent them.
 */
function runsWithoutRepeats<T extends { bar: LiveBar }>(items: readonly T[]): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let seen = new Set<number>();
  for (const item of items) {
    const key = item.bar.openTime;
    if (seen.has(key)) {
      runs.push(run);
      run = [];
      seen = new Set();
    }
    seen.add(key);
    run.push(item);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
