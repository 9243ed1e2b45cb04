import type { Connection } from 'mongoose';
import type { Hub } from '../../src/app/hub';
import { DeliveriesRepository } from '../../src/delivery/data-access/deliveries-repository';
import { silentLogger } from '../../src/platform/logger';
import { connectMongo } from '../../src/platform/mongo';
import { operationsOf, pendingRetry } from '../support/delivery';
import { startTestHub, stackEnv, uniqueNames } from '../support/hub';
import { Capture, capturingLogger } from '../support/logs';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: a delivery process claimed a due retry and died before it recorded the attempt, so the delivery is left
// `delivering` under a claim lease. Once the lease runs out another delivery process takes it over and sends it; an
// operator must see that recovery in the logs: one info line with how many deliveries were re-claimed.
describe('delivery: re-claiming the deliveries of a process that died mid-attempt', () => {
  const names = uniqueNames('dlvlease');
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

  it('takes the delivery over once the lease ran out, sends it, and logs the recovery with its count', async () => {
    const env = { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 100 };
    // The subscription, made through a hub that is stopped again: no delivery process runs while the scene is set.
    const setup = await startTestHub('dlvlease', { roles: ['delivery'], names, env });
    const { subscription } = await operationsOf(setup).createSubscription({ url: `${receiver.url}/lease`, eventTypes: ['hookhub.execution.succeeded'] });
    await setup.stop();
    const repo = new DeliveriesRepository(conn);
    await repo.prepare();
    const now = new Date();
    const delivery = pendingRetry({
      id: 'msg_leaserecovery00000000000001',
      eventId: 'e-lease-1',
      eventSource: '/agents/echo',
      subscriptionId: subscription.id,
      topic: `${names.topicPrefix}.results`,
      nextAttemptAt: now,
      body: '{"ok":true}',
      createdAt: now,
    });
    await repo.insertNew([delivery]);
    // The process that dies: it claims the retry (a one-second lease) and never records an attempt.
    const dead = await repo.claim(await repo.findDue(10), 1000);
    expect(dead.deliveries.map((d) => d.id)).toEqual([delivery.id]);
    expect(dead.reclaimed).toBe(0);

    hub = await startTestHub('dlvlease', { roles: ['delivery'], names, logger: capturingLogger(capture), env });

    await waitFor('the delivery re-sent by the live process', () => receiver.requests.some((r) => r.headers['webhook-id'] === delivery.id), 30000, 100);
    const recovered = capture.lines.filter((l) => l.message === 're-claimed deliveries whose claim lease ran out; attempting them again');
    expect(recovered).toEqual([expect.objectContaining({ level: 'info', reclaimed: 1, claimed: 1 })]);
    const stored = await waitFor('the attempt recorded', async () => ((await repo.get(delivery.id))?.status === 'succeeded' ? repo.get(delivery.id) : undefined), 10000, 100);
    expect(stored?.attemptCount).toBe(2);
  }, 60000);
});
