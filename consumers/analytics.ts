import type { Component, HubContext } from '../src/app/context';
import type { AnalyticsStore } from '../src/analysts/analytics/data-access/rollups';
import { executionFactOf } from '../src/analysts/analytics/domain/facts';
import { createBatchConsumer } from '../src/analysts/analytics/entry-points/batch-consumer';
import { recordExecutions } from '../src/analysts/analytics/recorders';
import { CloudEventError, fromKafkaMessage } from '../src/platform/cloudevents';

/**
 * Group `<clientId>-analytics` on `<prefix>.results`: parse each result event → execution facts → one bulk
 * rollup upsert per batch → commit. A message that is not a CloudEvent is skipped (analytics never dead-letters;
 * the agents' own consumers own the results' correctness).
 */
export function analyticsResultsConsumer(ctx: HubContext, store: AnalyticsStore): Component {
  return createBatchConsumer({
    name: 'analytics-results',
    ctx,
    groupId: `${ctx.env.kafkaClientId}-analytics`,
    topics: async () => {
      await ctx.kafka.ensureTopics([ctx.topics.results]);
      return [ctx.topics.results];
    },
    handle: async (messages) => {
      const facts = messages.flatMap(({ message }) => {
        try {
          const fact = executionFactOf(fromKafkaMessage(message));
          return fact ? [fact] : [];
        } catch (err) {
          if (err instanceof CloudEventError) return [];
          throw err;
        }
      });
      await recordExecutions(store, facts);
    },
  });
}
