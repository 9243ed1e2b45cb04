import { Counter, Gauge, type Registry } from 'prom-client';
import type { KafkaPort } from '../kafka';
import { partitionLags } from './lag';

type LagLabels = 'group' | 'topic' | 'partition';

interface Watched {
  kafka: KafkaPort;
  topics: () => readonly string[];
}

const watchedByRegistry = new WeakMap<Registry, Map<string, Watched>>();

/** Reads each watched group's lag from Kafka when /metrics is scraped: end offset minus committed offset. */
async function collectLag(gauge: Gauge<LagLabels>, watched: Map<string, Watched>): Promise<void> {
  gauge.reset();
  await Promise.all(
    [...watched].map(async ([groupId, w]) => {
      const topics = [...w.topics()];
      if (topics.length === 0) return;
      for (const p of await partitionLags(await w.kafka.admin(), groupId, topics)) {
        gauge.set({ group: groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
      }
    }),
  );
}

/**
 * Exports `hookhub_consumer_lag{group,topic,partition}` on the registry for this group. A scrape that cannot
 * reach Kafka leaves the gauge empty rather than failing /metrics.
 */
export function watchLag(registry: Registry, kafka: KafkaPort, groupId: string, topics: () => readonly string[]): void {
  let watched = watchedByRegistry.get(registry);
  if (!watched) {
    const groups = new Map<string, Watched>();
    watched = groups;
    watchedByRegistry.set(registry, groups);
    new Gauge<LagLabels>({
      name: 'hookhub_consumer_lag',
      help: 'Messages not yet committed by a consumer group, per topic and partition (end offset minus committed offset).',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
      async collect() {
        await collectLag(this, groups).catch(() => this.reset());
      },
    });
  }
  watched.set(groupId, { kafka, topics });
}

/** `hookhub_consumer_group_joins_total{group}`: every (re)join of a member, so a rebalance shows on a dashboard. */
export function groupJoins(registry: Registry): Counter<'group'> {
  const name = 'hookhub_consumer_group_joins_total';
  return (
    (registry.getSingleMetric(name) as Counter<'group'> | undefined) ??
    new Counter({ name, help: 'Consumer group (re)joins of this process\'s members: the first join and one per rebalance.', labelNames: ['group'], registers: [registry] })
  );
}
