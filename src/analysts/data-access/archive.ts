import type { Connection } from 'mongoose';

/**
 * The one place that reads the ingest archiver's MongoDB `events` collection. Assumed document shape:
 * `{ id, source, type, time: Date, topic, partition: number, offset: number, traceparent?, idempotencyKey?,
 * partitionKey?, headers: JSON string of {name: value} | [{name, value}], body: string (the exact received bytes,
 * utf8), receivedAt: Date }`. Queries use (topic, partition, offset) and time, so an index on
 * `{topic: 1, partition: 1, offset: 1}` keeps them fast.
 */
export interface ArchivedEvent {
  id: string;
  source: string;
  type: string;
  time: Date;
  topic: string;
  partition: number;
  offset: number;
  traceparent?: string;
  idempotencyKey?: string;
  partitionKey?: string;
  headers: Record<string, string>;
  body: string;
  /** `base64` when the received bytes were not valid UTF-8 (see the ingest archiver). */
  bodyEncoding?: 'utf8' | 'base64';
  receivedAt?: Date;
}

interface RawArchivedEvent extends Omit<ArchivedEvent, 'headers' | 'offset' | 'partition'> {
  headers?: string | { name: string; value: string }[] | null;
  offset: number | string;
  partition: number | string;
}

function parseHeaders(raw: RawArchivedEvent['headers']): Record<string, string> {
  if (!raw) return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const h of value as { name?: unknown; value?: unknown }[]) if (typeof h?.name === 'string') out[h.name.toLowerCase()] = String(h.value ?? '');
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k.toLowerCase()] = Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '');
  }
  return out;
}

export class EventArchive {
  constructor(private readonly conn: Connection) {}

  private events() {
    return this.conn.collection<RawArchivedEvent>('events');
  }

  /** Partitions holding archived events of `topic` in [from, to) (used when the topic no longer exists). */
  async partitions(topic: string, from: Date, to: Date): Promise<number[]> {
    const values = await this.events().distinct('partition', { topic, time: { $gte: from, $lt: to } });
    return values.map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  }

  /**
   * Archived events of one partition with offset in [fromOffset, belowOffset) and time in [from, to), in offset
   * order, handed over in batches; `onBatch` returning false stops the read.
   */
  async read(
    q: { topic: string; partition: number; fromOffset: number; belowOffset: number | null; from: Date; to: Date; batchSize: number },
    onBatch: (events: ArchivedEvent[]) => Promise<boolean>,
  ): Promise<void> {
    const offset: Record<string, number> = { $gte: q.fromOffset };
    if (q.belowOffset !== null) offset.$lt = q.belowOffset;
    const cursor = this.events()
      .find({ topic: q.topic, partition: q.partition, offset, time: { $gte: q.from, $lt: q.to } })
      .sort({ offset: 1 })
      .batchSize(q.batchSize);
    let batch: ArchivedEvent[] = [];
    try {
      for await (const raw of cursor) {
        batch.push({ ...raw, partition: Number(raw.partition), offset: Number(raw.offset), headers: parseHeaders(raw.headers) });
        if (batch.length >= q.batchSize) {
          const more = await onBatch(batch);
          batch = [];
          if (!more) return;
        }
      }
      if (batch.length) await onBatch(batch);
    } finally {
      await cursor.close();
    }
  }
}
