import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Component, HubContext } from '../../../app/context';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface BatchConsumerOptions {
  name: string;
  ctx: HubContext;
  groupId: string;
  /** The topics to read; asked at start and, with `refreshMs`, again on a timer (a changed list re-subscribes). */
  topics: () => Promise<string[]>;
  refreshMs?: number;
  /** Handles one fetched batch; offsets are committed only after it resolves (a throw re-reads the batch). */
  handle: (messages: ConsumedMessage[]) => Promise<void>;
}

/**
 * A consumer-group component that hands whole batches to a use case and commits after it: analytics folds a
 * batch into one bulk upsert instead of one write per event. kafkajs cannot add topics to a running consumer,
 * so a new matching topic (a new source) restarts it; the group's committed offsets carry over.
 */
export function createBatchConsumer(o: BatchConsumerOptions): Component {
  const log = o.ctx.logger.child({ component: o.name });
  let consumer: Consumer | undefined;
  let current = '';
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const restart = async (): Promise<void> => {
    if (stopped) return;
    const topics = [...new Set(await o.topics())].sort();
    const key = topics.join(',');
    if (key === current && consumer) return;
    if (consumer) await consumer.disconnect();
    consumer = undefined;
    current = key;
    if (topics.length === 0) return;
    const c = o.ctx.kafka.kafka.consumer({ groupId: o.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
    await c.connect();
    await c.subscribe({ topics, fromBeginning: true });
    await c.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        await o.handle(batch.messages.map((message) => ({ topic: batch.topic, partition: batch.partition, message })));
      },
    });
    consumer = c;
    log.info('analytics consumer subscribed', { topics });
  };

  const schedule = (): Promise<void> => {
    chain = chain.then(restart).catch((err: unknown) => {
      log.error('analytics consumer could not (re)subscribe', { err });
    });
    return chain;
  };

  return {
    name: o.name,
    async start() {
      await restart();
      if (o.refreshMs) {
        timer = setInterval(() => void schedule(), o.refreshMs);
        timer.unref();
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await chain;
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
