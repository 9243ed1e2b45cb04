import type { Hub } from '../../src/app/hub';
import { operationsOf, produceResult } from '../support/delivery';
import { startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: two delivery processes share the consumer group while results keep arriving. A second process joins
// (the partitions are split), then the first one stops (the second takes everything over). The consumer reads ahead
// of what it has stored and commits by hand, so across both rebalances every result must still end up as exactly
// one stored delivery that reached the receiver (a repeat of a webhook-id is allowed: at-least-once).
describe('delivery across rebalances', () => {
  const names = uniqueNames('dlvrebalance');
  const env = { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 200, deliveryRefreshMs: 500, topicPartitions: 4 };
  const receiver = new TestReceiver();
  const hubs: Hub[] = [];

  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await Promise.all(hubs.map((h) => h.stop()));
    await receiver.stop();
  });

  it('delivers every result once stored while a member joins and another leaves', async () => {
    // A little latency at the receiver keeps chunks in flight when the group changes.
    receiver.reply = { status: 200, delayMs: 5 };
    const a = await startTestHub('dlvrebalance-a', { roles: ['delivery'], names, env });
    hubs.push(a);
    const ops = operationsOf(a);
    const { subscription } = await ops.createSubscription({ url: `${receiver.url}/rb`, eventTypes: ['hookhub.execution.*'], filter: { '/execution/agent': 'rb' } });
    await new Promise((r) => setTimeout(r, 1200)); // both processes' subscription caches refresh every 500 ms
    const ids: string[] = [];
    const burst = async (via: Hub, n: number): Promise<void> => {
      for (let i = 0; i < n; i++) ids.push((await produceResult(via, { agent: 'rb', key: `k${ids.length % 16}` })).id);
    };

    await burst(a, 150);
    const b = await startTestHub('dlvrebalance-b', { roles: ['delivery'], names, env });
    hubs.push(b);
    await burst(a, 150);
    await a.stop();
    hubs.splice(hubs.indexOf(a), 1);
    await burst(b, 150);

    const stored = await waitFor(
      'a stored delivery for every result',
      async () => {
        const list = await operationsOf(b).listDeliveries({ subscriptionId: subscription.id, limit: 1000 });
        return list.length >= ids.length && list.every((d) => d.status === 'succeeded') ? list : undefined;
      },
      60000,
      500,
    );
    expect(stored).toHaveLength(ids.length);
    expect(new Set(stored.map((d) => d.eventId))).toEqual(new Set(ids));
    const seen = new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    expect(stored.filter((d) => !seen.has(d.id))).toEqual([]);
  });
});
