import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import type { DeliveryOperations } from '../../src/delivery/operations';
import { operationsOf, produceResult } from '../support/delivery';
import { startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// Scenario: the same delivery-role hub once with HOOKHUB_DELIVERY_THREADS=2 (attempts signed and sent on a pool
// of worker threads) and once with 0 (on the main event loop). Either way a burst of results reaches a real
// receiver signed so svix verifies the exact bytes, each with its own stable webhook-id and one logged
// attempt; an endpoint that answers too late is logged as a timeout and one on a link-local address is refused
// by the SSRF guard before any connection. HOOKHUB_DELIVERY_CONCURRENCY=4 caps the requests open at once, however
// many attempts the attempt runner has handed to the sender.
describe.each([2, 0])('delivery with HOOKHUB_DELIVERY_THREADS=%i', (threads) => {
  let hub: Hub;
  let ops: DeliveryOperations;
  const receiver = new TestReceiver();

  beforeAll(async () => {
    await receiver.start();
    hub = await startTestHub(`threads${threads}`, {
      roles: ['delivery'],
      names: uniqueNames(`threads${threads}`),
      env: { deliveryThreads: threads, deliveryConcurrency: 4, deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 100, deliveryRefreshMs: 200, deliverySchedule: ['0'], deliveryJitterPercent: 0 },
    });
    ops = operationsOf(hub);
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver.stop();
  });

  const subscribe = async (agent: string, url: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> => {
    const { subscription, secret } = await ops.createSubscription({ url, eventTypes: ['hookhub.execution.*'], filter: { '/execution/agent': agent }, ...extra });
    await new Promise((r) => setTimeout(r, 400)); // the subscription cache refreshes every 200 ms
    return { id: subscription.id, secret };
  };

  it('signs and sends a burst: every body verifies with svix under its own webhook-id, one attempt logged each', async () => {
    // Should: 40 results → 40 requests, all verified by svix over the bytes produced, 40 distinct webhook-ids,
    // 40 succeeded deliveries with one 200 attempt each.
    const { id: subId, secret } = await subscribe('burst', `${receiver.url}/burst`);
    const produced = await Promise.all(Array.from({ length: 40 }, () => produceResult(hub, { agent: 'burst' })));
    await waitFor('40 callbacks', () => receiver.requests.filter((r) => r.path === '/burst').length >= 40 || undefined);
    const reqs = receiver.requests.filter((r) => r.path === '/burst');
    const wh = new Webhook(secret);
    for (const r of reqs) {
      expect(wh.verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) })).toBeTruthy();
    }
    expect(new Set(reqs.map((r) => r.body.toString())).size).toBe(40);
    expect(reqs.map((r) => r.body.toString()).sort()).toEqual(produced.map((p) => p.value.toString()).sort());
    expect(new Set(reqs.map((r) => r.headers['webhook-id'])).size).toBe(40);
    const done = await waitFor('40 succeeded deliveries', async () => {
      const list = await ops.listDeliveries({ subscriptionId: subId, status: 'succeeded' });
      return list.length >= 40 ? list : undefined;
    });
    const one = await ops.getDelivery((done[0] as { id: string }).id);
    expect(one.attempts).toHaveLength(1);
    expect(one.attempts[0]).toMatchObject({ status: 200, responseBody: 'ok' });
  });

  it('never has more than HOOKHUB_DELIVERY_CONCURRENCY requests open, and times each attempt from when it is sent', async () => {
    // Should: 24 results for an endpoint answering in 250 ms → at most (and at some point exactly) 4 requests open
    // at the receiver; all 24 succeed within the 1000 ms timeout although they take 6 rounds of 250 ms (the last
    // round waits 1250 ms for its slots), because an attempt waiting for a slot has not started its clock (its
    // logged latency is the request's alone). The timeout leaves one request 750 ms of slack on a busy machine.
    receiver.reply = (r) => (r.path === '/capped' ? { status: 200, delayMs: 250 } : { status: 200 });
    const { id: subId } = await subscribe('capped', `${receiver.url}/capped`, { timeoutMs: 1000 });
    receiver.maxOpen = receiver.open;
    await Promise.all(Array.from({ length: 24 }, () => produceResult(hub, { agent: 'capped' })));
    const done = await waitFor('24 finished deliveries', async () => {
      const list = await ops.listDeliveries({ subscriptionId: subId });
      return list.length >= 24 && list.every((d) => d.status === 'succeeded' || d.status === 'failed') ? list : undefined;
    });
    expect(done.map((d) => d.status)).toEqual(Array(24).fill('succeeded'));
    expect(receiver.requests.filter((r) => r.path === '/capped')).toHaveLength(24);
    expect(receiver.maxOpen).toBe(4);
    for (const d of done) {
      const [attempt] = (await ops.getDelivery(d.id)).attempts;
      expect(attempt?.latencyMs).toBeGreaterThanOrEqual(240);
      expect(attempt?.latencyMs).toBeLessThan(1000);
    }
  });

  it('logs a late answer as a timeout and a link-local endpoint as refused by the SSRF guard', async () => {
    // Should: the 300 ms subscription timeout fires against a receiver answering after 1.2 s (errorKind timeout);
    // 169.254.169.254 (cloud metadata) is refused without a request (errorKind ssrf_blocked).
    receiver.reply = (r) => (r.path === '/late' ? { status: 200, delayMs: 1200 } : { status: 200 });
    const { id: lateId } = await subscribe('late', `${receiver.url}/late`, { timeoutMs: 300 });
    const { id: metaId } = await subscribe('meta', 'http://169.254.169.254/latest');
    await produceResult(hub, { agent: 'late' });
    await produceResult(hub, { agent: 'meta' });
    const late = await waitFor('the timed-out delivery', async () => (await ops.listDeliveries({ subscriptionId: lateId, status: 'failed' }))[0]);
    expect((await ops.getDelivery(late.id)).attempts[0]).toMatchObject({ errorKind: 'timeout' });
    const meta = await waitFor('the refused delivery', async () => (await ops.listDeliveries({ subscriptionId: metaId, status: 'failed' }))[0]);
    expect((await ops.getDelivery(meta.id)).attempts[0]).toMatchObject({ errorKind: 'ssrf_blocked' });
    // The receiver's delayed reply is a timer of this process: let it fire so the file ends with nothing pending.
    const lateReq = receiver.requests.find((r) => r.path === '/late');
    await waitFor('the late reply timer', () => Date.now() >= (lateReq?.at ?? 0) + 1300 || undefined);
  });
});
