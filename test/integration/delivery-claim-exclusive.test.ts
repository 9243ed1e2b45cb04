import type { Connection } from 'mongoose';
import { DeliveriesRepository } from '../../src/delivery/data-access/deliveries-repository';
import { silentLogger } from '../../src/platform/logger';
import { connectMongo } from '../../src/platform/mongo';
import { dueRetries } from '../support/delivery';
import { stackEnv, uniqueNames } from '../support/hub';

// Scenario: two delivery processes (two connections to the store) poll at the same moment and both try to claim
// the same due retries. A claim is a conditional update (`status: pending` → `delivering` under the process's
// token); on MongoDB each document is updated atomically, so every delivery goes to exactly one of them. The local
// store (FerretDB 1.x on SQLite) used to read the matching documents first and write each one back whole
// afterwards, with nothing in between held: both processes matched the same deliveries, both "claimed" them and
// sent them, and the later whole-document write replaced the earlier one (the soak's "delivery claim was taken
// over before the attempt was recorded", and recorded attempts reverted). Each delivery must be claimed once,
// and a stale write must never undo a recorded attempt.
describe('delivery store: concurrent claims of the same due deliveries', () => {
  const names = uniqueNames('claimExcl');
  let connA: Connection;
  let connB: Connection;
  let a: DeliveriesRepository;
  let b: DeliveriesRepository;

  beforeAll(async () => {
    connA = await connectMongo({ uri: stackEnv().mongodbUri, dbName: names.dbName, logger: silentLogger() });
    connB = await connectMongo({ uri: stackEnv().mongodbUri, dbName: names.dbName, logger: silentLogger() });
    a = new DeliveriesRepository(connA);
    b = new DeliveriesRepository(connB);
    await a.prepare();
  });

  afterAll(async () => {
    await connA.dropDatabase();
    await connA.close();
    await connB.close();
  });

  it('gives each due delivery to exactly one of two processes claiming at once', async () => {
    const rounds = 5;
    const perRound = 60;
    let both = 0;
    let claimed = 0;
    for (let r = 0; r < rounds; r++) {
      const now = new Date();
      const batch = dueRetries(perRound, { idPrefix: `msg_claimexcl_${r}_`, subscriptionId: 'sub-flaky', topic: `${names.topicPrefix}.results`, due: new Date(now.getTime() - 1000) });
      await a.insertNew(batch);
      const due = (await a.findDue(1000)).filter((e) => e.id.startsWith(`msg_claimexcl_${r}_`));
      expect(due).toHaveLength(perRound);
      const [ca, cb] = await Promise.all([a.claim(due, 60000), b.claim(due, 60000)]);
      const ids = new Set(ca.deliveries.map((d) => d.id));
      both += cb.deliveries.filter((d) => ids.has(d.id)).length;
      claimed += new Set([...ids, ...cb.deliveries.map((d) => d.id)]).size;
    }
    expect(both).toBe(0);
    expect(claimed).toBe(rounds * perRound);
  });

  it('leaves every delivery with the outcome recorded and a due entry when a claim races another process\'s claim and attempt', async () => {
    const now = new Date();
    const n = 60;
    const batch = dueRetries(n, { idPrefix: 'msg_claimrec_', subscriptionId: 'sub-flaky', topic: `${names.topicPrefix}.results`, due: new Date(now.getTime() - 1000) });
    await a.insertNew(batch);
    const due = (await a.findDue(1000)).filter((e) => e.id.startsWith('msg_claimrec_'));
    // Process A claims and records a failed attempt for each one it got (retry in 30 s); process B polls at the
    // same moment with the same entries. The leases (120 s) end well after the retry is due.
    const retryAt = new Date(Date.now() + 30000);
    const recorded = new Set<string>();
    const [, theirs] = await Promise.all([
      a.claim(due, 120000).then(({ deliveries }) =>
        Promise.all(
          deliveries.map(async (d) => {
            const kept = await a.recordAttempt(d, { at: new Date(), status: 500, latencyMs: 1, trigger: 'schedule', nextAttemptAt: retryAt }, { status: 'pending', nextAttemptAt: retryAt, lastStatus: 500, cycleAttempts: 2 });
            if (kept) recorded.add(d.id);
          }),
        ),
      ),
      b.claim(due, 120000),
    ]);
    const theirIds = new Set(theirs.deliveries.map((d) => d.id));
    // Every delivery went to one process: A recorded its attempt on each it claimed, B claimed the rest.
    expect([...recorded].filter((id) => theirIds.has(id))).toEqual([]);
    expect(recorded.size + theirIds.size).toBe(n);
    const entries = new Map((await connA.collection<{ _id: string; at: Date }>('delivery_due').find({ _id: { $in: batch.map((d) => d.id) } }).toArray()).map((e) => [e._id, e.at]));
    for (const d of await Promise.all(batch.map((x) => a.get(x.id)))) {
      if (!d) throw new Error('a delivery is gone');
      if (recorded.has(d.id)) expect([d.status, d.attemptCount, d.nextAttemptAt?.getTime()]).toEqual(['pending', 2, retryAt.getTime()]);
      else expect([d.status, d.claimToken]).toEqual(['delivering', theirs.deliveries.find((t) => t.id === d.id)?.claimToken]);
      // Unfinished, so it has a due entry no later than when it is due (else no poll ever finds it again).
      const dueAt = d.status === 'pending' ? d.nextAttemptAt : d.leaseUntil;
      expect((entries.get(d.id)?.getTime() ?? Infinity) <= (dueAt?.getTime() ?? 0)).toBe(true);
    }
  });
});
