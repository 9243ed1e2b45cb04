import { randomUUID } from 'node:crypto';
import { Webhook } from 'svix';
import type { Hub } from '../../src/app/hub';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import type { DeliveryOperations } from '../../src/delivery/operations';
import { operationsOf, produceResult } from '../support/delivery';
import { startTestHub, uniqueNames } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const sigHeaders = (h: Record<string, string | string[] | undefined>, prefix: 'webhook' | 'svix'): Record<string, string> => ({
  [`${prefix}-id`]: String(h[`${prefix}-id`]),
  [`${prefix}-timestamp`]: String(h[`${prefix}-timestamp`]),
  [`${prefix}-signature`]: String(h[`${prefix}-signature`]),
});

// Scenario: a delivery-role hub on the real Kafka and FerretDB, allowed to reach 127.0.0.1, with a compressed
// retry schedule (0, 200 ms, 400 ms). Results produced to `<prefix>.results` reach real local receivers,
// signed so svix's Webhook.verify accepts them; failures walk the schedule and every attempt is logged.
describe('delivery: signed callbacks with durable retries', () => {
  const names = uniqueNames('delivery');
  let hub: Hub;
  let ops: DeliveryOperations;
  const receiver = new TestReceiver();
  const watcher = new TestReceiver();

  beforeAll(async () => {
    await Promise.all([receiver.start(), watcher.start()]);
    hub = await startTestHub('delivery', {
      roles: ['delivery'],
      names,
      env: { deliveryAllowPrivate: ['127.0.0.1/32'], deliveryPollMs: 100, deliveryRefreshMs: 200, deliverySchedule: ['0', '200ms', '400ms'], deliveryJitterPercent: 0 },
    });
    ops = operationsOf(hub);
    // An inbound topic that appears after start is picked up by the consumer's topic refresh (a consumer
    // restart); creating it up front keeps this file's timing independent of that rebalance.
    await hub.ctx.kafka.ensureTopics([hub.ctx.topics.inbound('gh')]);
    // Watches the delivery component's own events.
    await ops.createSubscription({ id: 'watcher', url: `${watcher.url}/watch`, eventTypes: ['hookhub.delivery.*', 'hookhub.subscription.*'] });
  });
  afterAll(async () => {
    await hub?.stop();
    await Promise.all([receiver.stop(), watcher.stop()]);
  });

  const subscribe = async (agent: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> => {
    const { subscription, secret } = await ops.createSubscription({
      url: `${receiver.url}/${agent}`,
      eventTypes: ['hookhub.execution.*'],
      filter: { '/execution/agent': agent },
      ...extra,
    });
    await new Promise((r) => setTimeout(r, 400)); // the consumer's subscription cache refreshes every 200 ms
    return { id: subscription.id, secret };
  };
  const requestsTo = (agent: string): typeof receiver.requests => receiver.requests.filter((r) => r.path === `/${agent}`);
  const deliveryOf = async (subscriptionId: string, status?: string) =>
    waitFor(`a ${status ?? ''} delivery of ${subscriptionId}`, async () => (await ops.listDeliveries({ subscriptionId, ...(status ? { status: status as 'failed' } : {}) }))[0]);

  it('signs with svix-compatible headers over the exact bytes and creates one delivery per event even when redelivered', async () => {
    // Should: both header spellings verify with svix; the body equals the Kafka value; a second copy of the
    // same event (same ce_id) does not produce a second delivery.
    const { id: subId, secret } = await subscribe('signer', { headers: { 'X-Team': 'qa' } });
    const ev = await produceResult(hub, { agent: 'signer' });
    const req = await waitFor('the callback', () => requestsTo('signer')[0]);
    expect(req.body.equals(ev.value)).toBe(true);
    const wh = new Webhook(secret);
    expect(wh.verify(req.body, sigHeaders(req.headers, 'webhook'))).toMatchObject({ execution: { agent: 'signer' } });
    expect(wh.verify(req.body, sigHeaders(req.headers, 'svix'))).toBeTruthy();
    expect(req.headers['x-team']).toBe('qa');
    expect(req.headers['content-type']).toBe('application/json');
    const d = await deliveryOf(subId, 'succeeded');
    expect(req.headers['webhook-id']).toBe(d.id);
    const full = await ops.getDelivery(d.id);
    expect(full.attempts).toHaveLength(1);
    expect(full.attempts[0]).toMatchObject({ status: 200, responseBody: 'ok' });

    await produceResult(hub, { agent: 'signer', id: ev.id });
    await produceResult(hub, { agent: 'signer' });
    await waitFor('the second event', () => requestsTo('signer').length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(requestsTo('signer')).toHaveLength(2);
    expect(await ops.listDeliveries({ subscriptionId: subId })).toHaveLength(2);
  });

  it('walks the retry schedule with a stable webhook-id, then fails and publishes hookhub.delivery.exhausted', async () => {
    // Should: 3 attempts (0, +200 ms, +400 ms), each logged with http_status; then failed; the watcher
    // subscription receives the exhaustion event about this delivery.
    receiver.reply = (r) => (r.path === '/broken' ? { status: 500, body: 'boom' } : { status: 200 });
    const { id: subId } = await subscribe('broken');
    await produceResult(hub, { agent: 'broken' });
    const failed = await deliveryOf(subId, 'failed');
    const full = await ops.getDelivery(failed.id);
    expect(full.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
    expect(full.attempts.every((a) => a.errorKind === 'http_status' && a.responseBody === 'boom')).toBe(true);
    expect(full.attempts[0]?.nextAttemptAt).toBeDefined();
    expect(full.attempts[2]?.nextAttemptAt).toBeUndefined();
    const reqs = requestsTo('broken');
    expect(new Set(reqs.map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.id]));
    expect((reqs[1]?.at ?? 0) - (reqs[0]?.at ?? 0)).toBeGreaterThanOrEqual(150);
    expect((reqs[2]?.at ?? 0) - (reqs[1]?.at ?? 0)).toBeGreaterThanOrEqual(350);
    const note = await waitFor('the exhaustion event', () => watcher.requests.find((r) => r.headers['x-hookhub-event-type'] === 'hookhub.delivery.exhausted' && r.body.toString().includes(failed.id)));
    expect(JSON.parse(note.body.toString())).toMatchObject({ type: 'hookhub.delivery.exhausted', delivery: { id: failed.id, subscriptionId: subId, attempts: 3, lastStatus: 500 } });
  });

  it('recovers failed deliveries since a time and resends one delivery', async () => {
    // Should: after the endpoint is fixed, recover re-sends the failed delivery (same webhook-id) and it
    // succeeds; resend of a succeeded delivery sends it once more.
    receiver.reply = (r) => (r.path === '/flaky' ? { status: 502 } : { status: 200 });
    const since = new Date(Date.now() - 1000);
    const { id: subId } = await subscribe('flaky');
    await produceResult(hub, { agent: 'flaky' });
    const failed = await deliveryOf(subId, 'failed');
    receiver.reply = { status: 200 };
    expect(await ops.recoverDeliveries(subId, since)).toEqual({ recovered: 1 });
    await deliveryOf(subId, 'succeeded');
    expect(requestsTo('flaky')).toHaveLength(4);
    await ops.resendDelivery(failed.id);
    await waitFor('the resent callback', () => requestsTo('flaky').length === 5);
    const full = await waitFor('the resend logged', async () => {
      const d = await ops.getDelivery(failed.id);
      return d.attempts.length === 5 && d.status === 'succeeded' ? d : undefined;
    });
    expect(full.attempts.map((a) => a.trigger)).toEqual(['event', 'schedule', 'schedule', 'recover', 'resend']);
    expect(new Set(requestsTo('flaky').map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.id]));
  });

  it('reads and resends a delivery stored in the earlier layout (every field top-level, attempts as sub-documents)', async () => {
    // Should: a delivery written before the packed layout is listed and read with all its fields and attempts,
    // and a resend sends its exact body, signed, under its own webhook-id.
    const { id: subId, secret } = await subscribe('legacy');
    const body = JSON.stringify({ execution: { agent: 'legacy', note: 'stored by an earlier version' } });
    const at = new Date(Date.now() - 60000);
    await hub.ctx.mongo.collection('deliveries').insertOne({
      _id: 'msg_legacylayout000000000000000' as unknown as never,
      eventId: 'ev-legacy', eventType: 'hookhub.execution.succeeded', eventSource: '/agents/legacy', subscriptionId: subId,
      topic: hub.ctx.topics.results, seq: 7, status: 'failed', body, bodyEncoding: 'utf8', contentType: 'application/json',
      createdAt: at, cycleAttempts: 1, attemptCount: 1, trigger: 'event', partitionKey: 'k-legacy', lastStatus: 500, finishedAt: at,
      attempts: [{ at, status: 500, latencyMs: 12, errorKind: 'http_status', trigger: 'event' }],
    });
    const old = await ops.getDelivery('msg_legacylayout000000000000000');
    expect(old).toMatchObject({ eventType: 'hookhub.execution.succeeded', eventSource: '/agents/legacy', seq: 7, partitionKey: 'k-legacy', body, attempts: [{ at, status: 500, errorKind: 'http_status' }] });
    expect((await ops.listDeliveries({ subscriptionId: subId }))[0]).toMatchObject({ id: old.id, status: 'failed', eventType: 'hookhub.execution.succeeded' });
    await ops.resendDelivery(old.id);
    const req = await waitFor('the resent legacy delivery', () => requestsTo('legacy')[0]);
    expect(new Webhook(secret).verify(req.body.toString(), sigHeaders(req.headers, 'webhook'))).toEqual(JSON.parse(body));
    expect(req.headers['webhook-id']).toBe(old.id);
    const done = await waitFor('the resend logged', async () => {
      const d = await ops.getDelivery(old.id);
      return d.status === 'succeeded' ? d : undefined;
    });
    expect(done.attempts.map((a) => [a.trigger, a.status])).toEqual([['event', 500], ['resend', 200]]);
  });

  it('honours Retry-After on 429 instead of the schedule', async () => {
    // Should: a 429 with Retry-After: 1 delays the second attempt by about a second (the schedule says 200 ms).
    let n = 0;
    receiver.reply = (r) => (r.path === '/busy' && n++ === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 });
    const { id: subId } = await subscribe('busy');
    await produceResult(hub, { agent: 'busy' });
    const d = await deliveryOf(subId, 'succeeded');
    const reqs = requestsTo('busy');
    expect(reqs).toHaveLength(2);
    expect((reqs[1]?.at ?? 0) - (reqs[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect((await ops.getDelivery(d.id)).attempts.map((a) => a.status)).toEqual([429, 200]);
    receiver.reply = { status: 200 };
  });

  it('logs a timeout when the endpoint answers too late', async () => {
    // Should: with timeoutMs 300 and a receiver answering after 1.5 s, the attempt is logged as `timeout`.
    receiver.reply = (r) => (r.path === '/slow' ? { status: 200, delayMs: 1500 } : { status: 200 });
    const { id: subId } = await subscribe('slow', { timeoutMs: 300, retrySchedule: ['0'] });
    await produceResult(hub, { agent: 'slow' });
    const d = await deliveryOf(subId, 'failed');
    const full = await ops.getDelivery(d.id);
    expect(full.attempts).toHaveLength(1);
    expect(full.attempts[0]).toMatchObject({ errorKind: 'timeout' });
    expect(full.attempts[0]?.status).toBeUndefined();
    receiver.reply = { status: 200 };
  });

  it('disables the subscription on 410 Gone and publishes hookhub.subscription.disabled', async () => {
    // Should: one attempt, the delivery fails without retries, the subscription is disabled, the watcher hears.
    receiver.reply = (r) => (r.path === '/gone' ? { status: 410 } : { status: 200 });
    const { id: subId } = await subscribe('gone');
    await produceResult(hub, { agent: 'gone' });
    await deliveryOf(subId, 'failed');
    expect(requestsTo('gone')).toHaveLength(1);
    await waitFor('disabled', async () => !(await ops.getSubscription(subId)).enabled);
    const note = await waitFor('the disabled event', () => watcher.requests.find((r) => r.headers['x-hookhub-event-type'] === 'hookhub.subscription.disabled' && r.body.toString().includes(subId)));
    expect(JSON.parse(note.body.toString())).toMatchObject({ type: 'hookhub.subscription.disabled', subscription: { id: subId }, reason: 'gone' });
    receiver.reply = { status: 200 };
  });

  it('signs with the old and the new secret during a rotation grace period', async () => {
    // Should: after rotateSecret, a callback carries two v1 signatures; each secret alone verifies it.
    const { id: subId, secret: oldSecret } = await subscribe('rotor');
    const { secret: newSecret } = await ops.rotateSecret(subId, { graceMs: 60000 });
    expect(newSecret).not.toBe(oldSecret);
    await new Promise((r) => setTimeout(r, 400));
    await produceResult(hub, { agent: 'rotor' });
    const req = await waitFor('the callback', () => requestsTo('rotor')[0]);
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(req.body, sigHeaders(req.headers, 'webhook'))).toBeTruthy();
    expect(new Webhook(newSecret).verify(req.body, sigHeaders(req.headers, 'webhook'))).toBeTruthy();
  });

  it('delivers an ordered subscription strictly in order per partition key', async () => {
    // Should: the first event fails once; the second and third wait until it succeeded, then follow in order.
    let failedOnce = false;
    receiver.reply = (r) => {
      if (r.path === '/ordered' && !failedOnce) {
        failedOnce = true;
        return { status: 500 };
      }
      return { status: 200 };
    };
    const { id: subId } = await subscribe('ordered', { ordered: true });
    const key = `entity-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await produceResult(hub, { agent: 'ordered', key })).id);
    await waitFor('three successes', async () => (await ops.listDeliveries({ subscriptionId: subId, status: 'succeeded' })).length === 3);
    const seen = requestsTo('ordered').map((r) => String(r.headers['x-hookhub-event-id']));
    expect(seen).toEqual([ids[0], ids[0], ids[1], ids[2]]);
    receiver.reply = { status: 200 };
  });

  it('fans out inbound events with the exact inbound bytes', async () => {
    // Should: a subscription to `github.push` receives the inbound body byte for byte, content type kept.
    const topic = hub.ctx.topics.inbound('gh');
    await ops.createSubscription({ id: 'fanout', url: `${receiver.url}/fanout`, eventTypes: ['github.push'] });
    await new Promise((r) => setTimeout(r, 400)); // the subscription cache refreshes every 200 ms
    const raw = Buffer.from('{ "ref" : "refs/heads/main",\n "pusher": {"name":"ünï"} }');
    const producer = await hub.ctx.kafka.producer();
    await producer.send({ topic, acks: -1, messages: [{ key: 'octo/repo', value: raw, headers: toKafkaHeaders({ id: randomUUID(), source: '/sources/gh', type: 'github.push', time: new Date().toISOString(), extensions: { hookhubsource: 'gh' } }) }] });
    const req = await waitFor('the fan-out callback', () => requestsTo('fanout')[0], 40000);
    expect(req.body.equals(raw)).toBe(true);
  });
});
