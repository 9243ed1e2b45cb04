import type { Kafka, KafkaMessage } from 'kafkajs';
import { CloudEventError } from '../../../platform/cloudevents';
import type { RangePosition, ReplayChunk } from '../domain/types';
import { eventFromKafka } from './kafka-range';

/**
 * The slice of kafkajs's internal cluster/broker API this reader uses (kafkajs 2.2.x, pinned). kafkajs has no
 * public `assign()`; a consumer group costs a join/sync round (seconds) and re-reads unresolved batches, so replay
 * fetches partitions from their leaders directly, like the consumer does internally, without any group at all:
 * no live group's offsets can move, and the throughput is what one fetch loop per broker can do.
 */
type RawMessage = KafkaMessage & { isControlRecord?: boolean };
interface RawPartitionData {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: RawMessage[];
}
interface RawFetchResponse {
  responses: { topicName: string; partitions: RawPartitionData[] }[];
}
interface RawBroker {
  fetch(request: {
    replicaId?: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<RawFetchResponse>;
}
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(b: { nodeId: string }): Promise<RawBroker>;
}
type CreateCluster = (o: { metadataMaxAge?: number; allowAutoTopicCreation?: boolean; isolationLevel?: number }) => RawCluster;

const READ_COMMITTED = 1;
const CHUNK = 2000;

/** kafkajs's cluster factory of this client, or undefined when this kafkajs does not have one (then use a group). */
export function clusterFactory(kafka: Kafka): CreateCluster | undefined {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const fn = sym ? (kafka as unknown as Record<symbol, unknown>)[sym] : undefined;
  return typeof fn === 'function' ? (fn as CreateCluster) : undefined;
}

/**
 * Reads offset ranges of one topic by fetching each leader's partitions in a loop, the next fetch in flight while
 * the previous response is handled. Stops when every range reached its end offset or `signal` aborts.
 */
export async function fetchKafkaRanges(
  create: CreateCluster,
  o: { topic: string; window: { fromMs: number; toMs: number } },
  ranges: RangePosition[],
  onChunk: (range: RangePosition, chunk: ReplayChunk) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const open = ranges.filter((r) => r.end === null || r.position < r.end);
  if (open.length === 0 || signal.aborted) return;
  const cluster = create({ allowAutoTopicCreation: false, isolationLevel: READ_COMMITTED });
  await cluster.connect();
  try {
    await cluster.addTargetTopic(o.topic);
    const byLeader = cluster.findLeaderForPartitions(o.topic, open.map((r) => r.partition));
    await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await cluster.findBroker({ nodeId });
        const mine = open.filter((r) => partitions.includes(r.partition));
        const cursor = new Map(mine.map((r) => [r.partition, r.position]));
        const active = (): RangePosition[] => mine.filter((r) => (cursor.get(r.partition) ?? 0) < (r.end ?? Infinity));
        const fetchNext = (): Promise<RawFetchResponse> | undefined => {
          const want = active();
          if (want.length === 0 || signal.aborted) return undefined;
          return broker.fetch({
            replicaId: -1,
            isolationLevel: READ_COMMITTED,
            maxWaitTime: 200,
            minBytes: 1,
            maxBytes: 64 * 1024 * 1024,
            topics: [{ topic: o.topic, partitions: want.map((r) => ({ partition: r.partition, fetchOffset: String(cursor.get(r.partition)), maxBytes: Math.ceil((32 * 1024 * 1024) / want.length) })) }],
          });
        };
        let inflight = fetchNext();
        while (inflight) {
          const response = await inflight;
          const datas = response.responses.flatMap((t) => (t.topicName === o.topic ? t.partitions : []));
          // Move the fetch cursors first and put the next request in flight, then hand this response over.
          const work: { range: RangePosition; messages: RawMessage[]; next: number }[] = [];
          for (const d of datas) {
            const range = mine.find((r) => r.partition === d.partition);
            if (!range) continue;
            const from = cursor.get(d.partition) ?? range.position;
            const end = range.end ?? Infinity;
            let next = from;
            const messages: RawMessage[] = [];
            for (const m of d.messages) {
              const offset = Number(m.offset);
              if (offset < from) continue; // compressed batches can start before the fetch offset
              if (offset >= end) {
                next = end;
                break;
              }
              next = offset + 1;
              if (!m.isControlRecord) messages.push(m);
            }
            if (d.messages.length === 0 && Number(d.highWatermark) <= from) next = Math.max(next, range.end ?? from); // nothing more will come
            cursor.set(d.partition, next);
            work.push({ range, messages, next });
          }
          inflight = signal.aborted ? undefined : fetchNext();
          for (const w of work) {
            let items: ReplayChunk['items'] = [];
            for (const m of w.messages) {
              const offset = Number(m.offset);
              const ts = Number(m.timestamp);
              if (ts < o.window.fromMs || ts >= o.window.toMs) items.push({ offset });
              else {
                try {
                  items.push({ offset, event: eventFromKafka(o.topic, w.range.partition, m) });
                } catch (err) {
                  if (!(err instanceof CloudEventError)) throw err;
                  items.push({ offset });
                }
              }
              if (items.length >= CHUNK) {
                await onChunk(w.range, { items, position: offset + 1 });
                items = [];
                if (signal.aborted) break;
              }
            }
            if (signal.aborted) break;
            if (items.length || w.next > w.range.position) await onChunk(w.range, { items, position: w.next });
          }
          if (signal.aborted) {
            await inflight?.catch(() => undefined);
            inflight = undefined;
          }
        }
      }),
    );
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}
