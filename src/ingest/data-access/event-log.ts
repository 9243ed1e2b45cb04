import { Partitioners, type IHeaders, type PartitionMetadata } from 'kafkajs';
import type { KafkaPort } from '../../platform/kafka';
import { TimeoutError, withTimeout } from '../../platform/timeout';
import { MicroBatcher, type Outcome } from '../../platform/micro-batcher';
import type { EventRecord, Placement } from '../domain/ingest';

/** An event waiting for a produce request, with the moment its sender was told 503. */
interface Queued extends EventRecord {
  deadline: number;
}

export interface EventLogOptions {
  ackTimeoutMs: number;
  lingerMs: number;
  maxItems: number;
  maxInFlight?: number;
}

export class KafkaUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaUnavailableError';
  }
}

/**
 * Publishes inbound events with acks=all, batching concurrent publishes into shared produce requests. Each
 * message's partition is chosen here (kafkajs's default, Java-compatible partitioner over the key), so the
 * offset of every message can be read off its partition's base offset in the produce response.
 */
/** Produce requests that may still be retrying in kafkajs after their timeout before new ones fail fast. */
const MAX_UNSETTLED = 8;

export class EventLog {
  private unsettled = 0;
  private readonly batcher: MicroBatcher<Queued, Placement>;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitions = new Map<string, Promise<PartitionMetadata[]>>();

  constructor(private readonly kafka: KafkaPort, private readonly options: EventLogOptions) {
    this.batcher = new MicroBatcher({
      maxItems: options.maxItems,
      lingerMs: options.lingerMs,
      maxInFlight: options.maxInFlight ?? 4,
      run: (items) => this.produce(items),
    });
  }

  /**
   * Resolves once the event is acknowledged by all in-sync replicas; rejects with KafkaUnavailableError
   * otherwise. An event still waiting for its produce request when the ack timeout passes is never sent: its
   * sender was answered 503 and will retry, and a later copy would make that retry a second event.
   */
  async publish(event: EventRecord): Promise<Placement> {
    const deadline = Date.now() + this.options.ackTimeoutMs;
    try {
      return await withTimeout(
        (async () => {
          await this.partitionsOf(event.topic);
          return this.batcher.submit({ ...event, deadline });
        })(),
        this.options.ackTimeoutMs,
        `Kafka did not acknowledge within ${this.options.ackTimeoutMs} ms`,
      );
    } catch (err) {
      if (err instanceof KafkaUnavailableError) throw err;
      throw new KafkaUnavailableError(err instanceof TimeoutError ? err.message : `Kafka refused the event: ${(err as Error).message}`, { cause: err });
    }
  }

  async drain(): Promise<void> {
    await this.batcher.drain();
  }

  private partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    let p = this.partitions.get(topic);
    if (!p) {
      p = (async () => {
        await this.kafka.ensureTopics([topic]);
        const admin = await this.kafka.admin();
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = meta.topics[0]?.partitions ?? [];
        if (partitions.length === 0) throw new Error(`topic ${topic} has no partitions`);
        return partitions;
      })();
      p.catch(() => this.partitions.delete(topic));
      this.partitions.set(topic, p);
    }
    return p;
  }

  /**
   * Produces the items with at least half their ack timeout left; the others fail without being sent. An item
   * sent with only a sliver left would mostly be answered 503 while its request is on the wire, and then land:
   * in an outage, slots free up only as earlier requests time out, which is just when queued items run out of
   * time. Normally items wait here for milliseconds and keep nearly all of it.
   */
  private async produce(queued: Queued[]): Promise<Outcome<Placement>[]> {
    const cutoff = Date.now() + this.options.ackTimeoutMs / 2;
    const sendable = (q: Queued): boolean => q.deadline >= cutoff;
    const live = queued.filter(sendable);
    if (live.length === queued.length) return this.produceLive(queued);
    const expired: Outcome<Placement> = { ok: false, error: new KafkaUnavailableError('the event waited too long for Kafka and was not sent') };
    const outcomes = live.length > 0 ? await this.produceLive(live) : [];
    let i = 0;
    return queued.map((q) => (sendable(q) ? (outcomes[i++] as Outcome<Placement>) : expired));
  }

  private async produceLive(items: EventRecord[]): Promise<Outcome<Placement>[]> {
    const byTopic = new Map<string, { partition: number; index: number }[]>();
    const topicMessages = new Map<string, { key: string; value: Buffer; headers: IHeaders; partition: number }[]>();
    for (const [index, item] of items.entries()) {
      const partitionMetadata = await this.partitionsOf(item.topic);
      const partition = this.partitioner({ topic: item.topic, partitionMetadata, message: { key: item.key, value: item.value } });
      const list = topicMessages.get(item.topic) ?? [];
      list.push({ key: item.key, value: item.value, headers: item.headers, partition });
      topicMessages.set(item.topic, list);
      const order = byTopic.get(item.topic) ?? [];
      order.push({ partition, index });
      byTopic.set(item.topic, order);
    }
    if (this.unsettled >= MAX_UNSETTLED) {
      throw new KafkaUnavailableError(`Kafka is not acknowledging: ${this.unsettled} earlier produce requests are still unanswered`);
    }
    const producer = await this.kafka.producer();
    const sending = producer.sendBatch({ acks: -1, timeout: this.options.ackTimeoutMs, topicMessages: [...topicMessages].map(([topic, messages]) => ({ topic, messages })) });
    let results;
    try {
      results = await withTimeout(sending, this.options.ackTimeoutMs, `Kafka did not acknowledge within ${this.options.ackTimeoutMs} ms`);
    } catch (err) {
      if (err instanceof TimeoutError) {
        // kafkajs keeps retrying a timed-out send in the background (up to its retry limit);
        // count those so a long outage answers 503 at once instead of piling up messages in memory.
        this.unsettled += 1;
        sending.then(
          () => (this.unsettled -= 1),
          () => (this.unsettled -= 1),
        );
      }
      throw err;
    }
    const base = new Map(results.map((r) => [`${r.topicName}/${r.partition}`, r]));
    const outcomes: Outcome<Placement>[] = new Array<Outcome<Placement>>(items.length);
    for (const [topic, order] of byTopic) {
      const seen = new Map<number, number>();
      for (const { partition, index } of order) {
        const rank = seen.get(partition) ?? 0;
        seen.set(partition, rank + 1);
        const r = base.get(`${topic}/${partition}`);
        if (!r || r.errorCode !== 0 || r.baseOffset === undefined) {
          outcomes[index] = { ok: false, error: new KafkaUnavailableError(`no acknowledgement for ${topic}/${partition} (error code ${r?.errorCode ?? 'none'})`) };
        } else {
          outcomes[index] = { ok: true, value: { topic, partition, offset: (BigInt(r.baseOffset) + BigInt(rank)).toString() } };
        }
      }
    }
    return outcomes;
  }
}
