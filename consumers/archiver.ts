import type { HubContext } from '../src/app/context';
import type { Runnable } from '../src/app/entry-points';
import type { ArchiverIntake } from '../src/ingest/archiver';
import { FETCH_SETTINGS, GroupConsumer, commitAfterBatch } from '../src/platform/consumer';

/** Group `<clientId>-archiver` on every source's topic: each batch → one bulk archive write → commit. */
export function archiverConsumer(ctx: HubContext, intake: ArchiverIntake): Runnable {
  return new GroupConsumer({
    kafka: ctx.kafka,
    logger: ctx.logger.child({ component: 'archiver' }),
    groupId: `${ctx.env.kafkaClientId}-archiver`,
    topics: intake.topics,
    refreshMs: ctx.env.archiverRefreshMs,
    topicSettleMs: ctx.env.topicSettleMs,
    fetch: FETCH_SETTINGS.archiver,
    metrics: ctx.metrics,
    strategy: commitAfterBatch(async (batch) => {
      await intake.archiver.archiveBatch(batch.topic, batch.partition, batch.messages);
    }),
  });
}
