import type { Component, HubContext } from '../src/app/context';
import type { AnalyticsStore } from '../src/analysts/analytics/data-access/rollups';
import { ingestFactOf } from '../src/analysts/analytics/domain/facts';
import { createBatchConsumer } from '../src/analysts/analytics/entry-points/batch-consumer';
import { recordIngestAccepted } from '../src/analysts/analytics/recorders';
import { CloudEventError, fromKafkaMessage } from '../src/platform/cloudevents';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Group `<clientId>-analytics-ingest` on every inbound topic (`^<prefix>\.in\.`, re-listed every
 * HOOKHUB_ANALYTICS_TOPIC_REFRESH_MS so new sources are picked up): parse → accepted-ingest facts → one bulk
 * rollup upsert per batch → commit.
 */
export function analyticsIngestConsumer(ctx: HubContext, store: AnalyticsStore): Component {
  const inbound = new RegExp(`^${escapeRegExp(ctx.topics.inbound(''))}.+`);
  return createBatchConsumer({
    name: 'analytics-ingest',
    ctx,
    groupId: `${ctx.env.kafkaClientId}-analytics-ingest`,
    refreshMs: ctx.env.analyticsTopicRefreshMs,
    topics: async () => (await (await ctx.kafka.admin()).listTopics()).filter((t) => inbound.test(t)),
    handle: async (messages) => {
      const facts = messages.flatMap(({ message }) => {
        try {
          const fact = ingestFactOf(fromKafkaMessage(message), Number(message.timestamp));
          return fact ? [fact] : [];
        } catch (err) {
          if (err instanceof CloudEventError) return [];
          throw err;
        }
      });
      await recordIngestAccepted(store, facts);
    },
  });
}
