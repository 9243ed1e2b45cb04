import type { Consumer } from 'kafkajs';
import type { Component, HubContext } from '../src/app/context';
import { syncConfigSources, topicOfSource } from '../src/ingest/component';
import { Archiver } from '../src/ingest/archiver';
import { EventsRepository } from '../src/ingest/data-access/events-repository';
import { SourcesRepository } from '../src/ingest/data-access/sources-repository';

/**
 * Consumer group `<clientId>-archiver`: reads every source's inbound topic and stores each event in MongoDB
 * `events`. Thin: fetch a batch → archive it (one bulk write) → mark offsets → commit. Offsets are committed
 * only after the write, so a crash re-reads and re-writes (idempotently) instead of losing events.
 * Sources added later (API, another process) are picked up every HOOKHUB_ARCHIVER_REFRESH_MS by
 * re-subscribing with the new topic list.
 */
export function createArchiverComponent(ctx: HubContext): Component {
  const sources = new SourcesRepository(ctx.mongo, { cacheMs: 0 });
  const events = new EventsRepository(ctx.mongo);
  const archiver = new Archiver(ctx, events, ctx.metrics);
  const groupId = `${ctx.env.kafkaClientId}-archiver`;
  let consumer: Consumer | undefined;
  let topics: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async (list: string[]): Promise<void> => {
    const c = ctx.kafka.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await c.connect();
    await c.subscribe({ topics: list, fromBeginning: true });
    await c.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await archiver.archiveBatch(batch.topic, batch.partition, batch.messages);
        for (const m of batch.messages) resolveOffset(m.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      },
    });
    consumer = c;
  };

  const refresh = (): Promise<void> => {
    // A failed refresh must not stop later ones: each starts from a settled chain.
    chain = chain.catch(() => undefined).then(async () => {
      if (stopped) return;
      const wanted = [...new Set((await sources.list()).map((s) => topicOfSource(ctx, s)))].sort();
      if (wanted.join(',') === topics.join(',')) return;
      await ctx.kafka.ensureTopics(wanted);
      const old = consumer;
      consumer = undefined;
      await old?.disconnect();
      if (stopped) return;
      topics = wanted;
      if (wanted.length > 0) await run(wanted);
      ctx.logger.info('archiver subscribed', { groupId, topics: wanted });
    });
    return chain;
  };

  return {
    name: 'archiver',
    async start() {
      await events.init();
      await syncConfigSources(ctx, sources);
      await refresh();
      timer = setInterval(() => {
        refresh().catch((err: unknown) => ctx.logger.warn('archiver: refreshing subscriptions failed', { err: (err as Error).message }));
      }, ctx.env.archiverRefreshMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await chain.catch(() => undefined);
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
