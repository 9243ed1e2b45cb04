import type { Consumer, EachBatchPayload, Message } from 'kafkajs';
import type { HubContext } from '../src/app/context';
import type { InboundEvent } from '../src/agents/domain/model';
import type { AgentsStage } from '../src/agents/domain/stage';
import { sendInChunks } from '../src/agents/data-access/send';
import { deadLetterMessage, parseInbound, PoisonMessageError } from '../src/agents/entry-points/kafka';

export interface AgentsConsumerOptions {
  ctx: HubContext;
  stage: AgentsStage;
  /** The inbound topics to read now (`<prefix>.in.*`); called again on every refresh. */
  listTopics: () => Promise<string[]>;
  /** Called on every refresh tick (re-reads agents and routes). */
  onRefresh?: () => Promise<void>;
  /** Called for every message sent to the DLQ, with its error code. */
  onDeadLetter?: (code: string) => void;
}

/**
 * Consumer group `<clientId>-agents` over every inbound topic: parse → stage.handleBatch → dead-letter →
 * commit. Partitions run concurrently; offsets are committed by hand only after the batch's executions are
 * stored and results published. New inbound topics are picked up on refresh (the consumer re-subscribes).
 */
export class AgentsConsumer {
  private consumer?: Consumer;
  private topics: string[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;
  private stopped = false;

  constructor(private readonly o: AgentsConsumerOptions) {}

  async start(): Promise<void> {
    const { ctx } = this.o;
    await ctx.kafka.ensureTopics([ctx.topics.dlq('agents'), ctx.topics.results]);
    await this.resubscribe(await this.o.listTopics());
    this.timer = setInterval(() => {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    }, ctx.env.agentsRefreshMs);
    this.timer.unref();
  }

  /** Drains: kafkajs waits for the batches in progress (which commit) before it disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.refreshing?.catch(() => undefined);
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private async refresh(): Promise<void> {
    try {
      await this.o.onRefresh?.();
      const topics = await this.o.listTopics();
      if (!this.stopped && topics.join(',') !== this.topics.join(',')) await this.resubscribe(topics);
    } catch (err) {
      this.o.ctx.logger.warn('agents consumer refresh failed', { err });
    }
  }

  private async resubscribe(topics: string[]): Promise<void> {
    const { ctx } = this.o;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.topics = topics;
    if (topics.length === 0 || this.stopped) return;
    const consumer = ctx.kafka.kafka.consumer({
      groupId: `${ctx.env.kafkaClientId}-agents`,
      sessionTimeout: ctx.env.agentsSessionTimeoutMs,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 200,
      allowAutoTopicCreation: false,
    });
    // A crash kafkajs does not restart from by itself (a non-retriable error) would stop the stage for good:
    // start over from the committed offsets after a pause instead. Nothing was committed for the failed batch.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped || this.consumer !== consumer) return;
      ctx.logger.error('agents consumer crashed; restarting it', { err: payload.error });
      setTimeout(() => {
        if (this.stopped || this.consumer !== consumer) return;
        this.refreshing ??= this.resubscribe(this.topics).catch((err: unknown) => void ctx.logger.error('agents consumer restart failed', { err })).finally(() => (this.refreshing = undefined));
      }, 2000).unref();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: ctx.env.agentsConcurrency,
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
    this.consumer = consumer;
    ctx.logger.info('agents consumer subscribed', { topics });
  }

  private async eachBatch(consumer: Consumer, { batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const { ctx, stage } = this.o;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const where = { topic: batch.topic, partition: batch.partition };
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      const events: InboundEvent[] = [];
      const byOffset = new Map(batch.messages.map((m) => [m.offset, m]));
      const dlq: Message[] = [];
      for (const m of batch.messages) {
        try {
          events.push(parseInbound(m, batch.topic, batch.partition));
        } catch (err) {
          if (!(err instanceof PoisonMessageError)) throw err;
          ctx.logger.warn('poison message dead-lettered', { ...where, offset: m.offset, code: err.code, reason: err.message });
          dlq.push(deadLetterMessage(m, where, { code: err.code, message: err.message }));
        }
      }
      const dead = await stage.handleBatch(events);
      for (const d of dead) {
        const original = byOffset.get(d.event.offset);
        if (original) dlq.push(deadLetterMessage(original, where, { code: d.code, message: d.message, agent: d.agent, executionId: d.executionId }));
      }
      if (dlq.length > 0) {
        await sendInChunks(await ctx.kafka.producer(), ctx.topics.dlq('agents'), dlq);
        for (const m of dlq) this.o.onDeadLetter?.(String(m.headers?.['x-hookhub-error-code'] ?? 'unknown'));
      }
      // Resolve (the next fetch starts after it) and commit (a restart starts after it) only now that the batch's
      // executions are stored and their results published.
      resolveOffset(batch.lastOffset());
      const next = (BigInt(batch.lastOffset()) + 1n).toString();
      await consumer.commitOffsets([{ ...where, offset: next }]);
    } finally {
      clearInterval(beat);
    }
  }
}
