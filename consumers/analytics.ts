import type { KafkaMessage } from 'kafkajs';
import type { HubContext } from '../src/app/context';
import type { Runnable } from '../src/app/entry-points';
import type { AnalyticsStore } from '../src/analysts/analytics/data-access/rollups';
import { executionFactOf, ingestFactOf } from '../src/analysts/analytics/domain/facts';
import { recordExecutions, recordIngestAccepted } from '../src/analysts/analytics/recorders';
import { CloudEventError, fromKafkaMessage, type CloudEvent } from '../src/platform/cloudevents';
import { FETCH_SETTINGS, GroupConsumer, commitAfterBatch } from '../src/platform/consumer';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Facts of the messages that are CloudEvents: analytics never dead-letters (the stages that own the topics do). */
function factsOf<F>(messages: KafkaMessage[], fact: (e: CloudEvent, m: KafkaMessage) => F | undefined): F[] {
  return messages.flatMap((m) => {
    try {
      const f = fact(fromKafkaMessage(m), m);
      return f ? [f] : [];
    } catch (err) {
      if (err instanceof CloudEventError) return [];
      throw err;
    }
  });
}

/**
 * Two groups: `<clientId>-analytics` on `<prefix>.results` (execution rollups) and `<clientId>-analytics-ingest` on
 * every `<prefix>.in.*` topic (accepted-ingest rollups). Each batch → facts → one bulk rollup upsert → commit.
 */
export function analyticsConsumer(ctx: HubContext, store: AnalyticsStore): Runnable {
  const logger = ctx.logger.child({ component: 'analytics' });
  const results = new GroupConsumer({
    kafka: ctx.kafka,
    logger,
    groupId: `${ctx.env.kafkaClientId}-analytics`,
    topics: async () => {
      await ctx.kafka.ensureTopics([ctx.topics.results]);
      return [ctx.topics.results];
    },
    refreshMs: ctx.env.analyticsTopicRefreshMs,
    fetch: FETCH_SETTINGS.analytics,
    metrics: ctx.metrics,
    strategy: commitAfterBatch((batch) => recordExecutions(store, factsOf(batch.messages, (e) => executionFactOf(e)))),
  });
  const ingest = new GroupConsumer({
    kafka: ctx.kafka,
    logger,
    groupId: `${ctx.env.kafkaClientId}-analytics-ingest`,
    topics: new RegExp(`^${escape(ctx.topics.inbound(''))}.+`),
    refreshMs: ctx.env.analyticsTopicRefreshMs,
    topicSettleMs: ctx.env.topicSettleMs,
    fetch: FETCH_SETTINGS.analytics,
    metrics: ctx.metrics,
    strategy: commitAfterBatch((batch) => recordIngestAccepted(store, factsOf(batch.messages, (e, m) => ingestFactOf(e, Number(m.timestamp))))),
  });
  return {
    async start() {
      await results.start();
      await ingest.start();
    },
    async stop() {
      await Promise.all([ingest.stop(), results.stop()]);
    },
  };
}
