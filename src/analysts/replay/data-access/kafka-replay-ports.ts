import type { Message } from 'kafkajs';
import type { TopicNames } from '../../../app/context';
import { nextTraceparent, toKafkaHeaders } from '../../../platform/cloudevents';
import type { KafkaPort } from '../../../platform/kafka';
import { replayCopyId } from '../domain/structured';
import type { ReplayEvent, ReplayRedeliverer, ReplayReprocessor } from '../domain/types';

/** The topic the delivery consumer reads replayed deliveries from. */
export const replayDeliveriesTopic = (prefix: string): string => `${prefix}.replay.deliveries`;

/**
 * Sends messages produced in the same tick as one acks=all request: replay hands over a chunk of events at once,
 * and one produce request per event would cap throughput at the broker round trip.
 */
class TickBatcher {
  private queue: { topic: string; message: Message; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly kafka: KafkaPort) {}

  send(topic: string, message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const items = this.queue;
    this.queue = [];
    this.scheduled = false;
    try {
      const producer = await this.kafka.producer();
      const byTopic = new Map<string, Message[]>();
      for (const i of items) byTopic.set(i.topic, [...(byTopic.get(i.topic) ?? []), i.message]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      for (const i of items) i.resolve();
    } catch (err) {
      for (const i of items) i.reject(err);
    }
  }
}

function copyHeaders(event: ReplayEvent, replayId: string, extra: Record<string, string>) {
  return toKafkaHeaders({
    id: replayCopyId(replayId, event.id),
    source: event.source,
    type: event.type,
    time: event.time,
    datacontenttype: event.datacontenttype,
    ...(event.subject ? { subject: event.subject } : {}),
    traceparent: nextTraceparent(event.traceparent),
    extensions: { ...event.extensions, ...extra, replayid: replayId, replayof: event.id },
  });
}

/**
 * Reprocess contract: the event goes back onto its inbound topic `<prefix>.in.<source>` with the same key and
 * bytes, a new `ce_id` derived from (replay id, original id), and `ce_replayid` / `ce_replayof` = original id.
 * The agents consumer runs the routed agents for it as a new event marked replay; executions start
 * asynchronously, so this port reports 0 started.
 */
export class KafkaReprocessor implements ReplayReprocessor {
  private readonly batcher: TickBatcher;

  constructor(private readonly kafka: KafkaPort, private readonly topics: TopicNames, private readonly topicOverride?: string) {
    this.batcher = new TickBatcher(kafka);
  }

  async reprocess(event: ReplayEvent, replayId: string): Promise<number> {
    const source = event.extensions.hookhubsource ?? event.source.replace(/^\/sources\//, '');
    const topic = this.topicOverride ?? (event.origin.topic || this.topics.inbound(source));
    await this.batcher.send(topic, { key: event.key, value: event.data, headers: copyHeaders(event, replayId, {}) });
    return 0;
  }
}

/**
 * Redeliver contract: a CloudEvent on `<prefix>.replay.deliveries` with the original attributes and bytes, a new
 * `ce_id` derived from (replay id, original id), `ce_subscription` = the target subscription, `ce_replayid`, and
 * `ce_replayof` = the original event id. The delivery consumer delivers it to that one subscription only, marked
 * replay, signed as usual.
 */
export class KafkaRedeliverer implements ReplayRedeliverer {
  private readonly batcher: TickBatcher;
  private ready?: Promise<void>;

  constructor(private readonly kafka: KafkaPort, private readonly topic: string) {
    this.batcher = new TickBatcher(kafka);
  }

  async redeliver(subscriptionId: string, event: ReplayEvent, replayId: string): Promise<void> {
    this.ready ??= this.kafka.ensureTopics([this.topic]).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    await this.ready;
    await this.batcher.send(this.topic, { key: event.key ?? event.id, value: event.data, headers: copyHeaders(event, replayId, { subscription: subscriptionId }) });
  }
}
