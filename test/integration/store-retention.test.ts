import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { Hub } from '../../src/app/hub';
import { silentLogger } from '../../src/platform/logger';
import { Pruner } from '../../src/platform/pruner';
import { apiClient, keyFor, type ApiCall } from '../support/api';
import { startTestHub } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { githubRequest, post, pushPayload, testSources } from '../support/webhooks';

interface Page<T> {
  items: T[];
}
type DeliveryView = { id: string; eventId: string; status: string };

// Scenario: a hub (ingest, archiver, delivery, api) with retention of seconds instead of days: events 8 s after
// they were received, finished deliveries 3 s after they finished, idempotency keys 4 s, pruned every 300 ms two
// documents at a time. Three subscriptions take every `github.push`: one answers 200 (delivered), one answers 500
// with a one-attempt schedule (dead), one answers 500 with a retry due in an hour (pending). The delivered and
// dead deliveries and the old events and keys disappear, through the API and in MongoDB; the pending deliveries
// and an event received later stay, and the pruning is counted in /metrics. A round asked to stop ends between
// two batches.
describe('retention: the local store stays bounded, and nothing still needed is deleted', () => {
  const ok = new TestReceiver();
  const down = new TestReceiver();
  let hub: Hub;
  let call: ApiCall;
  let key: string;

  beforeAll(async () => {
    await Promise.all([ok.start(), down.start()]);
    down.reply = { status: 500 };
    hub = await startTestHub('retention-all', {
      roles: ['ingest', 'archiver', 'delivery', 'api'],
      env: {
        eventRetention: '8s',
        deliveryRetention: '3s',
        pruneIntervalMs: 300,
        pruneBatch: 2,
        kafkaAckTimeoutMs: 1000,
        ingestClaimStaleMs: 1500,
        ingestKeyRetentionMs: 4000,
        ingestKeyPruneIntervalMs: 300,
        deliveryAllowPrivate: ['127.0.0.1/32'],
        deliveryRefreshMs: 200,
        deliveryPollMs: 100,
        archiverRefreshMs: 500,
      },
      config: {
        sources: testSources(),
        agents: [],
        routes: [],
        subscriptions: [
          { id: 'delivered', url: `${ok.url}/hook`, eventTypes: ['github.push'] },
          { id: 'dead', url: `${down.url}/dead`, eventTypes: ['github.push'], retrySchedule: ['0'] },
          { id: 'pending', url: `${down.url}/pending`, eventTypes: ['github.push'], retrySchedule: ['0', '1h'] },
        ],
      },
    });
    call = apiClient(hub);
    key = (await keyFor(hub, 'operator')).secret;
  }, 60000);
  afterAll(async () => {
    await hub?.stop();
    await Promise.all([ok.stop(), down.stop()]);
  });

  const deliveriesOf = async (subscription: string): Promise<DeliveryView[]> =>
    (await call<Page<DeliveryView>>('GET', `/deliveries?subscription=${subscription}&limit=100`, { key })).body.items;
  const eventStatus = async (id: string): Promise<number> => (await call('GET', `/events/${id}`, { key })).status;
  const sendPushes = async (n: number): Promise<{ ids: string[]; keys: string[] }> => {
    const ids: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const delivery = randomUUID();
      const res = await post(`${hub.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
      expect(res.status).toBe(202);
      ids.push(res.json.id as string);
      keys.push(delivery);
    }
    return { ids, keys };
  };

  it('deletes delivered and dead deliveries, old events and old keys; keeps pending deliveries and young events', async () => {
    const old = await sendPushes(5);
    const deliveries = hub.ctx.mongo.collection('deliveries');
    await waitFor('every old event archived', async () => (await Promise.all(old.ids.map(eventStatus))).every((s) => s === 200));
    await waitFor('a pending delivery of every old event', async () => (await deliveriesOf('pending')).filter((d) => d.status === 'pending').length === 5);

    // Finished deliveries go 3 s after they finished; by then the pending ones are older than that, and stay.
    await waitFor('the delivered and dead deliveries pruned', async () => (await deliveriesOf('delivered')).length === 0 && (await deliveriesOf('dead')).length === 0, 30000);
    expect(ok.requests.length).toBeGreaterThanOrEqual(5);
    expect(down.requests.filter((r) => r.path === '/dead').length).toBeGreaterThanOrEqual(5);
    const pending = await deliveriesOf('pending');
    expect(pending.map((d) => d.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(new Set(pending.map((d) => d.eventId))).toEqual(new Set(old.ids));
    expect(await deliveries.countDocuments({ eventId: { $in: old.ids } })).toBe(5);
    expect(await deliveries.countDocuments({ finishedAt: { $exists: true } })).toBe(0);

    // Events go 8 s after they were received: an event received now outlives the old ones.
    const young = await sendPushes(1);
    await waitFor('the young event archived', async () => (await eventStatus(young.ids[0] ?? '')) === 200);
    await waitFor('the old events pruned', async () => (await Promise.all(old.ids.map(eventStatus))).every((s) => s === 404), 30000);
    expect(await eventStatus(young.ids[0] ?? '')).toBe(200);
    expect(await hub.ctx.mongo.collection('events').countDocuments({ _id: { $in: old.ids } } as Record<string, unknown>)).toBe(0);
    expect((await deliveriesOf('pending')).length).toBeGreaterThanOrEqual(5);

    // Idempotency keys go 4 s after they were written.
    const claims = old.keys.map((k) => `claim:github:${k}`);
    expect(await hub.ctx.mongo.collection('ingest_keys').countDocuments({ _id: { $in: claims } } as Record<string, unknown>)).toBe(0);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    const pruned = (collection: string): number => Number(new RegExp(`^hookhub_pruned_total\\{collection="${collection}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(pruned('events')).toBeGreaterThanOrEqual(5);
    expect(pruned('deliveries')).toBeGreaterThanOrEqual(10);
    expect(pruned('ingest_keys')).toBeGreaterThanOrEqual(5);
  }, 90000);

  it('stops a round between two batches when its role stops, and the next round finishes the work', async () => {
    const scratch = hub.ctx.mongo.collection('retention_scratch');
    await scratch.createIndex({ at: 1 });
    await scratch.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `old-${i}`, at: new Date(Date.now() - 60_000 + i) })) as never[]);
    await scratch.insertOne({ _id: 'young', at: new Date() } as never);
    const options = { role: 'test', rules: [{ name: 'retention_scratch', collection: scratch, field: 'at', keepMs: 30_000 }], intervalMs: 3_600_000, batch: 1, logger: silentLogger(), metrics: new Registry() };
    const pruner = new Pruner(options);
    const round = pruner.runOnce();
    await pruner.stop(); // asked before the first batch is deleted: the round ends before the next one
    await round;
    expect(await scratch.countDocuments({})).toBeGreaterThanOrEqual(20);
    await new Pruner({ ...options, batch: 3 }).runOnce();
    expect((await scratch.find({}).toArray()).map((d) => d._id)).toEqual(['young']);
  });
});
