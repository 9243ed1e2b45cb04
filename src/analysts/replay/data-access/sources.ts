import type { Admin, Kafka } from 'kafkajs';
import type { ArchivedEvent, EventArchive } from '../../data-access/archive';
import type { RangePosition, ReplayChunk, ReplayEvent, ReplaySources } from '../domain/types';
import { FetchUnsupportedError, fetchKafkaRanges } from './kafka-fetch';
import { clusterFactory } from './kafkajs-internals';
import { LegacyMessageFormatError } from './record-batch';
import { readKafkaRanges } from './kafka-range';

const CORE = new Set(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject']);

export function eventFromArchive(a: ArchivedEvent): ReplayEvent {
  const extensions: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.headers)) if (k.startsWith('ce_') && !CORE.has(k)) extensions[k.slice(3)] = v;
  if (a.idempotencyKey && !extensions.idempotencykey) extensions.idempotencykey = a.idempotencyKey;
  const time = a.time instanceof Date ? a.time.toISOString() : String(a.time);
  const traceparent = a.traceparent ?? a.headers.traceparent;
  const subject = a.headers.ce_subject;
  return {
    id: a.id,
    source: a.source,
    type: a.type,
    time,
    datacontenttype: a.headers['content-type'] ?? 'application/json',
    ...(subject ? { subject } : {}),
    ...(traceparent ? { traceparent } : {}),
    extensions,
    key: a.partitionKey ?? null,
    data: Buffer.from(a.body ?? '', a.bodyEncoding === 'base64' ? 'base64' : 'utf8'),
    origin: { store: 'archive', topic: a.topic, partition: a.partition, offset: a.offset, timestampMs: new Date(a.time).getTime() },
  };
}

/**
 * Kafka while it still holds the events, the MongoDB archive for the rest. Per partition, offsets below the
 * log start offset (deleted by retention) are read from the archive, the rest from Kafka, so the two never
 * overlap; when the topic is gone, everything comes from the archive.
 */
export class KafkaArchiveSources implements ReplaySources {
  constructor(private readonly o: { kafka: Kafka; admin: () => Promise<Admin>; archive: EventArchive; groupPrefix: string; archiveBatch?: number }) {}

  async plan(topic: string, fromMs: number, toMs: number): Promise<RangePosition[]> {
    const admin = await this.o.admin();
    const exists = (await admin.listTopics()).includes(topic);
    if (!exists) {
      const partitions = await this.o.archive.partitions(topic, new Date(fromMs), new Date(toMs));
      return partitions.map((partition) => ({ store: 'archive', partition, start: 0, end: null, position: 0 }));
    }
    const [marks, fromOffsets, toOffsets] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchTopicOffsetsByTimestamp(topic, fromMs),
      admin.fetchTopicOffsetsByTimestamp(topic, toMs),
    ]);
    const ranges: RangePosition[] = [];
    for (const m of [...marks].sort((a, b) => a.partition - b.partition)) {
      const low = Number(m.low);
      const start = Math.max(Number(fromOffsets.find((f) => f.partition === m.partition)?.offset ?? m.high), low);
      const end = Math.max(start, Number(toOffsets.find((t) => t.partition === m.partition)?.offset ?? m.high));
      if (low > 0) ranges.push({ store: 'archive', partition: m.partition, start: 0, end: low, position: 0 });
      ranges.push({ store: 'kafka', partition: m.partition, start, end, position: start });
    }
    return ranges;
  }

  async read(
    topic: string,
    ranges: RangePosition[],
    window: { fromMs: number; toMs: number },
    onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const kafkaRanges = ranges.filter((r) => r.store === 'kafka');
    for (const range of ranges.filter((r) => r.store === 'archive')) {
      if (signal.aborted) return;
      await this.o.archive.read(
        { topic, partition: range.partition, fromOffset: range.position, belowOffset: range.end, from: new Date(window.fromMs), to: new Date(window.toMs), batchSize: this.o.archiveBatch ?? 500 },
        async (batch) => {
          const last = batch[batch.length - 1];
          await onChunk(range, { items: batch.map((a) => ({ offset: a.offset, event: eventFromArchive(a) })), position: last ? last.offset + 1 : range.position });
          return !signal.aborted;
        },
      );
    }
    if (kafkaRanges.length && !signal.aborted) {
      const create = clusterFactory(this.o.kafka);
      try {
        if (create) return await fetchKafkaRanges(create, { topic, window }, kafkaRanges, onChunk, signal);
      } catch (err) {
        // An old broker or message format: the consumer-group reader goes on from the positions reached so far.
        if (!(err instanceof FetchUnsupportedError || err instanceof LegacyMessageFormatError)) throw err;
      }
      if (!signal.aborted) await readKafkaRanges({ kafka: this.o.kafka, admin: await this.o.admin(), groupPrefix: this.o.groupPrefix, topic, window }, kafkaRanges, onChunk, signal);
    }
  }
}
