import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Hub } from '../../src/app/hub';
import type { SourceConfig } from '../../src/config/types';
import { collectTopic } from '../support/agents';
import { startTestHub } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, post, pushPayload, SECRETS, testSources } from '../support/webhooks';

const HMAC_SECRET = 'limited-hmac-secret';
const sign = (body: string): string => createHmac('sha256', HMAC_SECRET).update(body).digest('hex');

/**
 * A request from another loopback address (127.0.0.2): Linux routes all of 127/8 to lo, so the hub sees a
 * second client address without any proxy header (which it would not trust anyway).
 */
function postFrom(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; code?: string; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, localAddress: '127.0.0.2', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string };
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, ...(json.code ? { code: json.code } : {}), retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
      });
    });
    req.once('error', reject);
    req.end(body);
  });
}

// Scenario: senders abuse the webhook door. Unsigned junk from one address must not use up a genuine sender's
// rate limit (charged only after verification) and gets that address 429 once it keeps failing; a captured
// GitHub or hmac-sha256 delivery resent with a new delivery id and event header is a duplicate, not a new
// event; Prometheus series do not grow with the event types senders invent.
describe('security: abuse of the webhook door', () => {
  let hub: Hub;
  const limited: SourceConfig = {
    id: 'limited',
    verification: { scheme: 'hmac-sha256', secrets: [HMAC_SECRET], header: 'X-Signature' },
    eventType: { pointer: '/type' },
    rateLimit: { perSecond: 0.01, burst: 2 },
  };

  beforeAll(async () => {
    hub = await startTestHub('secingest', {
      roles: ['ingest'],
      config: { sources: [...testSources(), limited], agents: [], routes: [], subscriptions: [] },
      env: { ingestFailedAuthBurst: 5, ingestFailedAuthPerSecond: 1 },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('unsigned junk neither starves a genuine sender nor goes on forever: 401s, then 429 for that address only', async () => {
    const url = `${hub.url}/webhooks/limited`;
    const junk: { status: number; code?: string; retryAfter: string | null }[] = [];
    for (let i = 0; i < 8; i++) junk.push(await postFrom(url, `{"type":"x.y","n":${i}}`, { 'content-type': 'application/json', 'x-signature': 'deadbeef' }));
    expect(junk.slice(0, 5).map((r) => r.code)).toEqual(Array(5).fill('signature_invalid'));
    expect(junk.slice(5).map((r) => [r.status, r.code])).toEqual(Array(3).fill([429, 'ip_rate_limited']));
    expect(Number(junk[7]?.retryAfter)).toBeGreaterThanOrEqual(1);
    // Even a valid request from the limited address waits: the address, not the request, is held off.
    const fromLimited = `{"type":"x.y","n":"limited-address"}`;
    expect((await postFrom(url, fromLimited, { 'content-type': 'application/json', 'x-signature': sign(fromLimited) })).code).toBe('ip_rate_limited');

    // The genuine sender (127.0.0.1) still has the source's whole burst of 2, then meets the source's own limit.
    const genuine = async (n: number) => {
      const body = `{"type":"x.y","n":"genuine-${n}-${randomUUID()}"}`;
      return post(url, { body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) } });
    };
    expect((await genuine(1)).status).toBe(202);
    expect((await genuine(2)).status).toBe(202);
    const third = await genuine(3);
    expect([third.status, third.json.code]).toEqual([429, 'rate_limited']);
  });

  it('a captured GitHub delivery resent with a new delivery id and another event header is a duplicate', async () => {
    const captured = await githubRequest('push', pushPayload());
    const first = await post(`${hub.url}/webhooks/github`, captured);
    expect(first.status).toBe(202);
    const resent = { body: captured.body, headers: { ...captured.headers, 'x-github-delivery': randomUUID(), 'x-github-event': 'watch' } };
    const again = await post(`${hub.url}/webhooks/github`, resent);
    expect([again.status, again.json.id, again.json.duplicate]).toEqual([200, first.json.id, true]);

    const inhouse = { body: `{"note":"${randomUUID()}"}` };
    const signature = 'hmac=' + createHmac('sha256', SECRETS.hmac).update(inhouse.body).digest('base64');
    const headers = { 'content-type': 'application/json', 'x-signature': signature };
    const h1 = await post(`${hub.url}/webhooks/inhouse`, { body: inhouse.body, headers });
    const h2 = await post(`${hub.url}/webhooks/inhouse`, { body: inhouse.body, headers });
    expect([h1.status, h2.status, h2.json.id]).toEqual([202, 200, h1.json.id]);

    // One copy of each in Kafka: the resends produced nothing.
    const topic = await collectTopic(hub, hub.ctx.topics.inbound('github'));
    try {
      await waitFor('the first delivery in Kafka', () => topic.messages.some((m) => m.headers.ce_id === first.json.id));
      const copies = topic.messages.filter((m) => m.raw?.equals(Buffer.from(captured.body)));
      expect(copies.map((m) => m.headers.ce_id)).toEqual([first.json.id]);
    } finally {
      await topic.stop();
    }
  });

  it('metrics label sender-invented event types "other", so series stay bounded by the config', async () => {
    const partnerTypes = ['invented.one', 'invented.two', `invented.${randomUUID()}`];
    const internal = testSources().find((s) => s.id === 'internal');
    expect(internal).toBeDefined();
    for (const kind of partnerTypes) {
      // `internal` (unsigned, types from the body, no schemas) accepts any type the sender names.
      await waitFor('accepted or rate limited', async () => (await post(`${hub.url}/webhooks/internal`, { body: JSON.stringify({ kind }), headers: { 'content-type': 'application/json' } })).status === 202, 10000, 600);
    }
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const internalSeries = text.split('\n').filter((l) => l.startsWith('hookhub_ingest_accepted_total') && l.includes('source="internal"'));
    expect(internalSeries).toEqual([expect.stringContaining('type="other"')]);
    expect(text).not.toContain('invented');
  });
});
