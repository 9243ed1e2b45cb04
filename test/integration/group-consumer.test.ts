import { Registry } from 'prom-client';
import { FETCH_SETTINGS, GroupConsumer, commitAfterBatch } from '../../src/platform/consumer';
import { KafkaPort } from '../../src/platform/kafka';
import { silentLogger } from '../../src/platform/logger';
import { stackEnv, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';

// Scenario: the platform's group consumer on the real broker, with two members in one group reading every topic
// that matches a pattern, as the stages do with `<prefix>.in.*`.
describe('group consumer: topics by pattern, picked up by every member of the group', () => {
  const names = uniqueNames('groupconsumer');
  const kafka = new KafkaPort({ brokers: stackEnv().kafkaBrokers, clientId: names.clientId, logger: silentLogger(), partitions: 2, replication: 1 });
  const consumers: GroupConsumer[] = [];

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await kafka.disconnect();
  });

  async function produce(topic: string, from: number, count: number): Promise<void> {
    const producer = await kafka.producer();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `${topic}#${from + i}` })) });
  }

  it('a topic created later is read by the group although only one member looks for new topics on its own', async () => {
    const prefix = `${names.topicPrefix}.in.`;
    await kafka.ensureTopics([`${prefix}a`]);
    const read = new Map<string, number>();
    const member = (refreshMs: number, metrics?: Registry): GroupConsumer => {
      const c = new GroupConsumer({
        kafka,
        logger: silentLogger(),
        groupId: `${names.clientId}-g`,
        topics: new RegExp(`^${prefix.replace(/\./g, '\\.')}`),
        refreshMs,
        fetch: FETCH_SETTINGS.delivery,
        ...(metrics ? { metrics } : {}),
        strategy: commitAfterBatch(async (batch) => {
          for (const m of batch.messages) read.set(String(m.value), (read.get(String(m.value)) ?? 0) + 1);
        }),
      });
      consumers.push(c);
      return c;
    };
    const metrics = new Registry();
    // Only the first member refreshes its topic list on a timer; the second learns of new topics from the rebalance.
    const first = member(500, metrics);
    const second = member(3_600_000);
    await first.start();
    await second.start();
    await produce(`${prefix}a`, 0, 50);
    await waitFor('the first topic read', () => read.size === 50, 30000);

    for (const t of ['b', 'c', 'd']) {
      await kafka.ensureTopics([`${prefix}${t}`]);
      await produce(`${prefix}${t}`, 0, 20);
    }
    await produce(`${prefix}a`, 50, 50);
    await waitFor('every message of every topic read', () => read.size === 160, 60000, 200);
    expect(second.subscribed()).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`, `${prefix}d`]);

    // Lag is exported per group and partition once everything is committed.
    const text = await waitFor('zero lag on every partition', async () => {
      const t = await metrics.metrics();
      const lines = t.split('\n').filter((l) => l.startsWith('hookhub_consumer_lag{'));
      return lines.length === 8 && lines.every((l) => l.endsWith(' 0')) ? t : undefined;
    }, 30000, 500);
    expect(text).toContain(`hookhub_consumer_lag{group="${names.clientId}-g",topic="${prefix}d",partition="1"} 0`);
  });
});
