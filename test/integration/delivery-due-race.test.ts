import type { Connection } from 'mongoose';
import { DeliveriesRepository } from '../../src/delivery/data-access/deliveries-repository';
import { silentLogger } from '../../src/platform/logger';
import { connectMongo } from '../../src/platform/mongo';
import { pendingRetry } from '../support/delivery';
import { stackEnv, uniqueNames } from '../support/hub';

// Scenario: storing a delivery takes two writes (its due entry, then the delivery). A first attempt that failed
// is stored pending; another delivery process polling in between finds the entry due and the delivery not there
// yet. In the soak that poll removed the entry, so the flaky subscriber's failed first attempts were never retried.
describe('delivery store: a claim that runs between the two writes of an insert', () => {
  const names = uniqueNames('dueRace');
  let conn: Connection;
  let repo: DeliveriesRepository;

  beforeAll(async () => {
    conn = await connectMongo({ uri: stackEnv().mongodbUri, dbName: names.dbName, logger: silentLogger() });
    repo = new DeliveriesRepository(conn);
    await repo.prepare();
  });

  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('keeps the due entry, so the pending delivery is claimed for its retry once it is stored', async () => {
    const now = new Date();
    const pending = pendingRetry({
      id: 'msg_duerace0000000000000000001',
      eventId: 'e-1',
      eventSource: 'hookhub/agents',
      subscriptionId: 'sub-flaky',
      topic: `${names.topicPrefix}.results`,
      nextAttemptAt: new Date(now.getTime() - 1000),
      body: '{}',
      createdAt: now,
    });
    // The two writes, taken apart: store it, keep what was written, and take the delivery back out so that only
    // the first write (the due entry) is there when the other process polls.
    await repo.insertNew([pending]);
    const deliveries = conn.collection('deliveries');
    const written = await deliveries.findOne({ _id: pending.id as unknown as never });
    if (!written) throw new Error('the delivery was not stored');
    await deliveries.deleteOne({ _id: pending.id as unknown as never });

    const due = await repo.findDue(10);
    expect(due.map((e) => e.id)).toEqual([pending.id]);
    expect((await repo.claim(due, 20000)).deliveries).toEqual([]);

    // The second write lands.
    await deliveries.insertOne(written);
    const again = await repo.findDue(10);
    expect(again.map((e) => e.id)).toEqual([pending.id]);
    expect((await repo.claim(again, 20000)).deliveries.map((d) => [d.id, d.status])).toEqual([[pending.id, 'delivering']]);
  });
});
