import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { CloudEventError, fromKafkaMessage } from '../../../platform/cloudevents';
import type { RangePosition, ReplayChunk, ReplayEvent } from '../domain/types';

const CHUNK = 1000;

export function eventFromKafka(topic: string, partition: number, message: KafkaMessage): ReplayEvent {
  const ce = fromKafkaMessage(message);
  return {
    id: ce.id,
    source: ce.source,
    type: ce.type,
    time: ce.time,
    datacontenttype: ce.datacontenttype ?? 'application/json',
    ...(ce.subject ? { subject: ce.subject } : {}),
    ...(ce.traceparent ? { traceparent: ce.traceparent } : {}),
    extensions: ce.extensions ?? {},
    key: message.key ? message.key.toString('utf8') : null,
    data: ce.data,
    origin: { store: 'kafka', topic, partition, offset: Number(message.offset), timestampMs: Number(message.timestamp) },
  };
}

/**
 * Reads offset ranges of one topic with a consumer in a throwaway group (`<clientId>-replay-<uuid>`) that never
 * commits and is deleted afterwards, so live groups' offsets never move. kafkajs has no `assign()`: every
 * partition is assigned to this lone member, `seek` puts each at its range's position, finished partitions are
 * paused, and the read ends when every range reached its end offset.
 */
export async function readKafkaRanges(
  o: { kafka: Kafka; admin: Admin; groupPrefix: string; topic: string; window: { fromMs: number; toMs: number } },
  ranges: RangePosition[],
  onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const byPartition = new Map(ranges.filter((r) => r.end === null || r.position < r.end).map((r) => [r.partition, r]));
  if (byPartition.size === 0 || signal.aborted) return;
  const groupId = `${o.groupPrefix}-replay-${randomUUID()}`;
  const consumer = o.kafka.consumer({
    groupId,
    maxBytes: 64 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxWaitTimeInMs: 100,
    sessionTimeout: 30000,
    allowAutoTopicCreation: false,
    retry: { retries: 5 },
  });
  const open = new Set(byPartition.keys());
  let finish!: () => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const onAbort = (): void => finish();
  signal.addEventListener('abort', onAbort);
  const close = (partition: number): void => {
    if (!open.delete(partition)) return;
    consumer.pause([{ topic: o.topic, partitions: [partition] }]);
    if (open.size === 0) finish();
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic], fromBeginning: false });
    consumer.on(consumer.events.CRASH, (e) => fail(e.payload.error));
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const range = byPartition.get(batch.partition);
        if (!range || !open.has(batch.partition)) return;
        const end = range.end ?? Infinity;
        let items: ReplayChunk['items'] = [];
        let next = range.position;
        let done = false;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < range.position) continue; // fetched before our seek took effect
          if (offset >= end) {
            done = true;
            break;
          }
          next = offset + 1;
          const ts = Number(message.timestamp);
          if (ts < o.window.fromMs || ts >= o.window.toMs) items.push({ offset });
          else {
            try {
              items.push({ offset, event: eventFromKafka(o.topic, batch.partition, message) });
            } catch (err) {
              if (!(err instanceof CloudEventError)) throw err;
              items.push({ offset });
            }
          }
          if (items.length >= CHUNK) {
            await onChunk(range, { items, position: next });
            // Resolving (never committing: autoCommit is off) is what moves kafkajs's fetch position on.
            resolveOffset(String(next - 1));
            items = [];
            if (signal.aborted || !isRunning() || isStale()) return;
            await heartbeat();
          }
        }
        if (items.length || next > range.position) await onChunk(range, { items, position: next });
        if (next > 0 && !signal.aborted) resolveOffset(String(next - 1));
        // Gaps (compaction, transaction markers) can leave the last offsets empty: the batch's end says how far it got.
        if (done || next >= end || Number(batch.lastOffset()) + 1 >= end) close(batch.partition);
        await heartbeat();
      },
    });
    for (const [partition, range] of byPartition) consumer.seek({ topic: o.topic, partition, offset: String(range.position) });
    const idle = [...(await o.admin.fetchTopicOffsets(o.topic))].map((p) => Number(p.partition)).filter((p) => !byPartition.has(p));
    if (idle.length) consumer.pause([{ topic: o.topic, partitions: idle }]);
    await finished;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    await o.admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
