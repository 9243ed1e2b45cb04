import type { Connection } from 'mongoose';
import type { Hub } from '../../src/app/hub';
import { DeliveriesRepository } from '../../src/delivery/data-access/deliveries-repository';
import { silentLogger } from '../../src/platform/logger';
import { connectMongo } from '../../src/platform/mongo';
import { dueRetries, operationsOf } from '../support/delivery';
import { startTestHub, stackEnv, uniqueNames } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: a delivery process holds claimed retries longer than one claim lease without having died: here its
// subscription is paced at 2 deliveries a second, so of 16 retries claimed at once the last waits about 7 s, with a
// 4-second lease. Meanwhile a second process (the same repository code, polling every 100 ms as a delivery process
// does) looks for due work. The live process renews the leases of what it holds, so the rival never finds one of
// them due: each retry is sent exactly once, recorded by the process that claimed it, and no outcome is dropped.
// Before renewal the rival re-claimed and re-sent every delivery still waiting past the lease, and the first
// process's attempt records were dropped ("taken over before the attempt was recorded"); on a starved machine two
// processes passed deliveries back and forth for minutes.
describe('delivery: a process keeps the claims it still holds past one lease', () => {
  const names = uniqueNames('dlvrenew');
  const receiver = new TestReceiver();
  const capture = new Capture();
  let conn: Connection;
  let hub: Hub | undefined;

  beforeAll(async () => {
    await receiver.start();
    conn = await connectMongo({ uri: stackEnv().mongodbUri, dbName: names.dbName, logger: silentLogger() });
  });

  afterAll(async () => {
    await hub?.stop();
    await receiver.stop();
    await conn.dropDatabase();
    await conn.close();
  });

  it('renews the leases while the claims wait, so a rival process never takes one over', async () => {
    const env = { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 100, deliveryLeaseMs: 4000, deliveryTimeoutMs: 3000 };
    // The subscription, made through a hub that is stopped again, so the retries are all stored before a poll runs.
    const setup = await startTestHub('dlvrenew', { roles: ['delivery'], names, env });
    const { subscription } = await operationsOf(setup).createSubscription({
      url: `${receiver.url}/renew`,
      eventTypes: ['hookhub.execution.succeeded'],
      rateLimitPerSecond: 2,
    });
    await setup.stop();
    const repo = new DeliveriesRepository(conn);
    await repo.prepare();
    const retries = dueRetries(16, { idPrefix: 'msg_leaserenewal000000000000', subscriptionId: subscription.id, topic: `${names.topicPrefix}.results`, due: new Date(), eventSource: '/agents/echo' });
    const ids = retries.map((d) => d.id);
    await repo.insertNew(retries);

    hub = await startTestHub('dlvrenew', { roles: ['delivery'], names, logger: capturingLogger(capture), env });
    const countOf = (status: string[]): Promise<number> => conn.collection('deliveries').countDocuments({ _id: { $in: ids } as never, status: { $in: status } });
    await waitFor('every retry claimed by the live process', async () => ((await countOf(['delivering', 'succeeded'])) === ids.length ? true : undefined), 30000, 50);

    // The rival: polls for due work as a second delivery process would, until every retry is recorded.
    const rival: string[] = [];
    while ((await countOf(['succeeded'])) < ids.length) {
      const got = await repo.claim(await repo.findDue(50), 4000);
      rival.push(...got.deliveries.map((d) => d.id));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    expect(rival).toEqual([]);
    expect(receiver.requests.map((r) => r.headers['webhook-id']).sort()).toEqual(ids);
    const stored = await Promise.all(ids.map((id) => repo.get(id)));
    expect(stored.map((d) => [d?.status, d?.attemptCount])).toEqual(ids.map(() => ['succeeded', 2]));
    expect(capture.lines.filter((l) => /taken over|re-claimed/.test(String(l.message)))).toEqual([]);
    // The paced sends took longer than one lease: the renewals, not a generous lease, kept the claims.
    const sent = receiver.requests.map((r) => r.at);
    expect(Math.max(...sent) - Math.min(...sent)).toBeGreaterThan(4000);
  }, 90000);
});
