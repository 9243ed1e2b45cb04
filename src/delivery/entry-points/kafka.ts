import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { ConsumerControl } from '../../../consumers/delivery';
import type { KafkaPort } from '../../platform/kafka';
import type { Logger } from '../../platform/logger';

export interface TopicConsumerOptions {
  kafka: KafkaPort;
  groupId: string;
  /** Topics to read: `<prefix>.results` and every `<prefix>.in.<source>`. */
  pattern: RegExp;
  refreshMs: number;
  logger: Logger;
  /** A fresh pipeline for each consumer run; it commits through `control` (kafkajs never commits by itself here). */
  pipeline: (control: ConsumerControl) => BatchPipeline;
  /** Called whenever this member (re)joins the group: partitions it gets may repeat uncommitted work. */
  onJoin?: () => void;
}

export interface BatchPipeline {
  eachBatch(payload: EachBatchPayload): Promise<void>;
  /** The member (re)joined its group. */
  joined(): void;
  /** Stops issuing work and waits until what was issued is stored and committed. */
  drain(): Promise<void>;
}

/**
 * Runs the delivery consumer group over every topic matching the pattern. kafkajs resolves a RegExp
 * subscription once, so the topic list is re-read every refresh interval and the consumer is restarted
 * (committing first) when a new inbound topic appears.
 */
export class TopicConsumer {
  private consumer?: Consumer;
  private pipeline?: BatchPipeline;
  private topics: string[] = [];
  private timer?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  private stopped = false;

  constructor(private readonly o: TopicConsumerOptions) {}

  private async matchingTopics(): Promise<string[]> {
    const admin = await this.o.kafka.admin();
    return (await admin.listTopics()).filter((t) => this.o.pattern.test(t)).sort();
  }

  async start(): Promise<void> {
    this.topics = await this.matchingTopics();
    await this.run();
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.refresh()
          .catch((err: unknown) => this.o.logger.warn('could not refresh delivery topics', { err }))
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.o.refreshMs);
      this.timer.unref();
    };
    tick();
  }

  private async run(): Promise<void> {
    if (this.topics.length === 0) return;
    const consumer = this.o.kafka.kafka.consumer({ groupId: this.o.groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    const pipeline = this.o.pipeline({
      commit: (topic, partition, offset) => consumer.commitOffsets([{ topic, partition, offset }]),
      seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      pipeline.joined();
      this.o.onJoin?.();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    // Resolved offsets only move the fetch position; the pipeline commits what is stored, in order.
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 4, eachBatch: pipeline.eachBatch });
    this.consumer = consumer;
    this.pipeline = pipeline;
  }

  /** Lets the pipeline store and commit what it issued, then leaves the group. */
  private async close(): Promise<void> {
    await this.pipeline?.drain();
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.pipeline = undefined;
  }

  private async refresh(): Promise<void> {
    const now = await this.matchingTopics();
    if (this.stopped || now.join('\n') === this.topics.join('\n')) return;
    this.o.logger.info('delivery topics changed; restarting the consumer', { topics: now });
    this.restarting = (async () => {
      await this.close();
      this.topics = now;
      if (!this.stopped) await this.run();
    })();
    await this.restarting.finally(() => (this.restarting = undefined));
  }

  /** Stops consuming after what was read is stored and committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.restarting?.catch(() => undefined);
    await this.close();
  }
}
