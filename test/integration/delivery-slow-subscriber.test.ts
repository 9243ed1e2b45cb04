import type { Hub } from '../../src/app/hub';
import { operationsOf, produceResult } from '../support/delivery';
import { startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: two subscriptions get every result; one receiver answers at once, the other holds every request
// until the test lets it answer (a hung subscriber, its subscription's timeout far away). The slow one must not
// hold back the other: while it is still holding every request, the fast receiver has every result, the delivery
// group has committed the results topic to its end, and the slow subscription's deliveries are stored (claimed,
// `delivering`), so nothing is lost if this process dies now. Once the slow receiver answers, each of its
// deliveries ends `succeeded` with exactly the one attempt that was in flight.
describe('delivery: a slow subscriber holds back neither the other subscribers nor the offsets', () => {
  const names = uniqueNames('dlvslow');
  const fast = new TestReceiver();
  const slow = new TestReceiver();
  let release!: () => void;
  let hub: Hub | undefined;

  beforeAll(async () => {
    await fast.start();
    await slow.start();
    slow.hold = new Promise<void>((resolve) => (release = resolve));
  });

  afterAll(async () => {
    release();
    await hub?.stop();
    await fast.stop();
    await slow.stop();
  });

  it('delivers to the fast receiver and commits every offset while the slow one holds every request', async () => {
    const N = 30;
    hub = await startTestHub('dlvslow', { roles: ['delivery'], names, env: { deliveryAllowPrivate: ['127.0.0.1/32'] } });
    const ops = operationsOf(hub);
    const eventTypes = ['hookhub.execution.succeeded'];
    const { subscription: fastSub } = await ops.createSubscription({ url: `${fast.url}/fast`, eventTypes });
    const { subscription: slowSub } = await ops.createSubscription({ url: `${slow.url}/slow`, eventTypes, timeoutMs: 60000 });

    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push((await produceResult(hub, { agent: 'slowtest', key: `k${i}` })).id);

    await waitFor('every result at the fast receiver', () => new Set(fast.requests.map((r) => r.headers['webhook-id'])).size === N, 30000);
    const admin = await hub.ctx.kafka.admin();
    const topic = hub.ctx.topics.results;
    const end = async (): Promise<Map<number, string>> => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.offset]));
    const ends = await end();
    await waitFor(
      'the delivery group committed up to the end of the results topic',
      async () => {
        const [t] = await admin.fetchOffsets({ groupId: `${names.clientId}-delivery`, topics: [topic] });
        return t !== undefined && t.partitions.every((p) => p.offset === ends.get(p.partition));
      },
      30000,
    );
    const held = await waitFor(
      'every slow delivery stored, claimed while its attempt is out',
      async () => {
        const list = await ops.listDeliveries({ subscriptionId: slowSub.id, limit: 1000 });
        return list.length === N && list.every((d) => d.status === 'delivering') ? list : undefined;
      },
      30000,
    );
    // Still held: the slow receiver has answered nothing, and every one of its requests is open.
    await waitFor('every slow request open at the receiver', () => slow.open === N);
    expect(slow.requests).toHaveLength(N);
    expect(new Set(held.map((d) => d.eventId))).toEqual(new Set(ids));
    expect(held.every((d) => d.attemptCount === 0)).toBe(true);
    const fastStored = await ops.listDeliveries({ subscriptionId: fastSub.id, limit: 1000 });
    expect(fastStored).toHaveLength(N);

    release();
    const done = await waitFor(
      'every slow delivery recorded as succeeded',
      async () => {
        const list = await ops.listDeliveries({ subscriptionId: slowSub.id, limit: 1000 });
        return list.length === N && list.every((d) => d.status === 'succeeded') ? list : undefined;
      },
      30000,
    );
    expect(done.map((d) => [d.attemptCount, d.attempts.length, d.attempts[0]?.status])).toEqual(done.map(() => [1, 1, 200]));
    // One request per delivery: the attempt in flight was recorded, not made again.
    expect(slow.requests).toHaveLength(N);
    expect(new Set(slow.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(done.map((d) => d.id)));
  }, 120000);
});
