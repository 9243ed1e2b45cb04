import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Hub } from '../../src/app/hub';
import { fromKafkaMessage } from '../../src/platform/cloudevents';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { SECRETS, githubRequest, partnerRequest, post, pushPayload, stripeEvent, stripeRequest, taskPayload, testSources } from '../support/webhooks';
import { createHmac } from 'node:crypto';

// Scenario: one ingest hub on the real Kafka and FerretDB with github, stripe, standard-webhooks, hmac and
// unsigned sources. Every answer the endpoint can give is produced by a real request; what is answered 2xx
// must be in Kafka byte for byte, and nothing else may be.
describe('POST /webhooks/:source', () => {
  const names = uniqueNames('ingesthttp');
  let hub: Hub;
  let consumer: Consumer;
  const seen: { topic: string; partition: number; message: KafkaMessage }[] = [];

  beforeAll(async () => {
    hub = await startTestHub('ingesthttp', { roles: ['ingest'], names, config: { sources: testSources(), agents: [], routes: [], subscriptions: [] } });
    const topics = ['github', 'stripe', 'partner', 'inhouse', 'internal'].map((s) => hub.ctx.topics.inbound(s));
    // The hub creates them at boot but gives up after the ack timeout (a busy broker); the reader needs them now.
    await hub.ctx.kafka.ensureTopics(topics);
    consumer = hub.ctx.kafka.kafka.consumer({ groupId: `${names.clientId}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, partition, message }) => void seen.push({ topic, partition, message }) });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await hub?.stop();
  });

  const url = (source: string): string => `${hub.url}/webhooks/${source}`;
  const inKafka = (id: string): Promise<{ topic: string; partition: number; message: KafkaMessage }> =>
    waitFor(`event ${id} in Kafka`, () => seen.find((s) => s.message.headers?.ce_id?.toString() === id));

  it('202: a GitHub push signed by @octokit/webhooks-methods lands in Kafka as a CloudEvent with the exact bytes', async () => {
    // A body with odd spacing and unicode: the value in Kafka must be these bytes, not a re-serialisation.
    const body = `{ "ref":"refs/heads/main",  "before":"${'a'.repeat(40)}","after":"${'b'.repeat(40)}", "note":"héllo ✓",\n "repository":{"id":42,"name":"widgets","full_name":"acme/widgets"},"sender":{"login":"octocat","id":1}}`;
    const req = await githubRequest('push', body);
    req.headers.traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await post(url('github'), req);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ source: 'github', type: 'github.push', topic: hub.ctx.topics.inbound('github') });
    expect(typeof res.json.partition).toBe('number');
    expect(res.json.offset).toMatch(/^\d+$/);

    const got = await inKafka(res.json.id as string);
    expect(got.message.value?.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(got.partition).toBe(res.json.partition);
    expect(got.message.offset).toBe(res.json.offset);
    expect(got.message.key?.toString()).toBe('acme/widgets');
    const ce = fromKafkaMessage(got.message);
    expect(ce).toMatchObject({
      specversion: '1.0',
      id: res.json.id,
      source: '/sources/github',
      type: 'github.push',
      datacontenttype: 'application/json',
      extensions: { hookhubsource: 'github', idempotencykey: req.headers['x-github-delivery'] },
    });
    expect(new Date(ce.time).getTime()).toBeGreaterThan(Date.now() - 60000);
    // The trace continues: same trace id, new span.
    expect(ce.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(ce.traceparent).not.toBe(req.headers.traceparent);
  });

  it('202: Stripe events signed by the stripe library, type and id from the body', async () => {
    const event = stripeEvent();
    const res = await post(url('stripe'), stripeRequest(event));
    expect(res.status).toBe(202);
    expect(res.json.type).toBe('stripe.invoice.paid');
    const got = await inKafka(res.json.id as string);
    expect(got.message.key?.toString()).toBe('in_123');
    expect(got.message.headers?.ce_idempotencykey?.toString()).toBe(event.id);
  });

  it('202: Standard Webhooks signed by svix, with webhook-* or svix-* headers and an older live secret', async () => {
    for (const req of [
      partnerRequest(taskPayload()),
      partnerRequest(taskPayload(), { branded: 'svix' }),
      partnerRequest(taskPayload(), { secret: SECRETS.partnerOld }),
    ]) {
      const res = await post(url('partner'), req);
      expect(res.status).toBe(202);
      expect(res.json.type).toBe('agent.task.requested');
      const got = await inKafka(res.json.id as string);
      expect(got.message.key?.toString()).toBe('triage');
      expect(got.message.headers?.ce_idempotencykey?.toString()).toBe(req.headers['webhook-id'] ?? req.headers['svix-id']);
    }
  });

  it('202: several v1 signatures in one header verify when any matches (sender rotating secrets)', async () => {
    const req = partnerRequest(taskPayload());
    req.headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${req.headers['webhook-signature']}`;
    expect((await post(url('partner'), req)).status).toBe(202);
  });

  it('202: generic hmac-sha256 (base64 with a prefix) and an unsigned internal source', async () => {
    const body = JSON.stringify({ note: 'hello' });
    const signature = `hmac=${createHmac('sha256', SECRETS.hmac).update(body).digest('base64')}`;
    const res = await post(url('inhouse'), { body, headers: { 'content-type': 'application/json', 'x-signature': signature } });
    expect(res.status).toBe(202);
    expect(res.json.type).toBe('inhouse.note');
    const internal = await post(url('internal'), { body: JSON.stringify({ kind: 'ping' }), headers: { 'content-type': 'application/vnd.acme+json; charset=utf-8' } });
    expect(internal.status).toBe(202);
    expect(internal.json.type).toBe('internal.ping');
  });

  it('200: a redelivered event is answered as a duplicate of the first and not published again', async () => {
    const delivery = randomUUID();
    const first = await post(url('github'), await githubRequest('push', pushPayload(), delivery));
    expect(first.status).toBe(202);
    const again = await post(url('github'), await githubRequest('push', pushPayload(), delivery));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, duplicate: true, offset: first.json.offset, partition: first.json.partition });
    await inKafka(first.json.id as string);
    const stripe = stripeEvent();
    expect((await post(url('stripe'), stripeRequest(stripe))).status).toBe(202);
    expect((await post(url('stripe'), stripeRequest(stripe))).json).toMatchObject({ duplicate: true });
    // Give a stray second copy time to arrive, then count.
    const marker = await post(url('internal'), { body: JSON.stringify({ kind: 'marker' }), headers: { 'content-type': 'application/json' } });
    await inKafka(marker.json.id as string).catch(() => undefined);
    expect(seen.filter((s) => s.message.headers?.ce_idempotencykey?.toString() === delivery)).toHaveLength(1);
  });

  it('400: a correctly signed body that is not JSON', async () => {
    for (const [source, req] of [
      ['github', await githubRequest('push', '{"ref": ')],
      ['partner', partnerRequest('{not json')],
      ['stripe', stripeRequest('[1,2')],
    ] as const) {
      const res = await post(url(source), req);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('json_malformed');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('401: missing, wrong and stale signatures for every scheme', async () => {
    const cases: [string, Promise<{ body: string; headers: Record<string, string> }> | { body: string; headers: Record<string, string> }, string][] = [
      ['github', githubRequest('push', pushPayload()).then((r) => ({ ...r, headers: { ...r.headers, 'x-hub-signature-256': '' } })), 'signature_missing'],
      ['github', githubRequest('push', pushPayload(), randomUUID(), 'wrong-secret'), 'signature_invalid'],
      ['github', githubRequest('push', pushPayload()).then((r) => ({ ...r, body: r.body.replace('main', 'mainx') })), 'signature_invalid'],
      ['stripe', stripeRequest(stripeEvent(), { secret: 'whsec_other' }), 'signature_invalid'],
      ['stripe', stripeRequest(stripeEvent(), { timestamp: Math.floor(Date.now() / 1000) - 301 }), 'timestamp_stale'],
      ['stripe', { body: '{}', headers: { 'content-type': 'application/json' } }, 'signature_missing'],
      ['partner', partnerRequest(taskPayload(), { secret: 'whsec_' + Buffer.from('not the secret').toString('base64') }), 'signature_invalid'],
      ['partner', partnerRequest(taskPayload(), { at: new Date(Date.now() - 6 * 60 * 1000) }), 'timestamp_stale'],
      ['partner', partnerRequest(taskPayload(), { at: new Date(Date.now() + 6 * 60 * 1000) }), 'timestamp_stale'],
      ['partner', { body: JSON.stringify(taskPayload()), headers: { 'content-type': 'application/json', 'webhook-id': 'x' } }, 'signature_missing'],
      ['inhouse', { body: '{}', headers: { 'content-type': 'application/json', 'x-signature': 'hmac=AAAA' } }, 'signature_invalid'],
      ['inhouse', { body: '{}', headers: { 'content-type': 'application/json' } }, 'signature_missing'],
    ];
    for (const [source, reqP, code] of cases) {
      const res = await post(url(source), await reqP);
      expect({ source, status: res.status, code: res.json.code }).toEqual({ source, status: 401, code });
    }
  });

  it('404: an unknown source', async () => {
    const res = await post(url('nobody'), { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('source_unknown');
  });

  it('413: a body over the limit, announced or streamed, is refused without reading it all', async () => {
    const announced = await post(url('inhouse'), { body: 'x'.repeat(4096), headers: { 'content-type': 'application/json' } });
    expect(announced.status).toBe(413);
    expect(announced.json.code).toBe('payload_too_large');

    // Chunked upload with no Content-Length that would go on for 64 MiB: the answer must come long before.
    const { status, code, sentBytes } = await new Promise<{ status: number; code: string; sentBytes: number }>((resolve, reject) => {
      const u = new URL(url('github'));
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      let sentBytes = 0;
      let done = false;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!done && sentBytes < 64 * 1024 * 1024) {
          sentBytes += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!done) req.end();
      };
      req.on('response', (res) => {
        done = true;
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code: string }).code, sentBytes }));
      });
      req.on('error', (err) => (done ? undefined : reject(err)));
      pump();
    });
    expect(status).toBe(413);
    expect(code).toBe('payload_too_large');
    expect(sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('415: a body that is not declared as JSON', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, {}, { 'content-type': 'application/json', 'content-encoding': 'gzip' }] as Record<string, string>[]) {
      const res = await post(url('github'), { body: '{"kind":"x"}', headers });
      expect(res.status).toBe(415);
      expect(res.json.code).toBe('unsupported_media_type');
    }
  });

  it('422: every failing field of a schema violation, an unknown type, a missing type', async () => {
    const bad = { ...pushPayload(), ref: 'main', after: 'nothex', repository: { id: 'x', name: 'w' } } as Record<string, unknown>;
    delete bad.sender;
    const res = await post(url('github'), await githubRequest('push', bad));
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('schema_violation');
    const paths = (res.json.errors as { path: string; message: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['/after', '/ref', '/repository/full_name', '/repository/id', '/sender'].sort());
    for (const e of res.json.errors as { message: string }[]) expect(e.message.length).toBeGreaterThan(3);

    const task = await post(url('partner'), partnerRequest({ type: 'agent.task.requested', agent: 'Bad Name', extra: 1 }));
    expect(task.status).toBe(422);
    expect((task.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['/agent', '/extra', '/task']);

    const unknown = await post(url('partner'), partnerRequest({ type: 'partner.unheard.of' }));
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('event_type_unknown');

    const untyped = await post(url('github'), await githubRequest('star', { action: 'created' }));
    expect(untyped.status).toBe(202);
    expect(untyped.json.type).toBe('github.star');

    const missing = await post(url('partner'), partnerRequest({ agent: 'x' }));
    expect(missing.status).toBe(422);
    expect(missing.json.code).toBe('event_type_missing');
  });

  it('429: the per-source rate limit answers with Retry-After', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await post(url('internal'), { body: JSON.stringify({ kind: 'burst' }), headers: { 'content-type': 'application/json' } }));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.json.code).toBe('rate_limited');
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('counts accepted and rejected webhooks on /metrics', async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    expect(text).toMatch(/hookhub_ingest_accepted_total\{source="github",type="github.push",outcome="accepted"\} \d+/);
    expect(text).toMatch(/hookhub_ingest_accepted_total\{source="github",type="github.push",outcome="duplicate"\} \d+/);
    expect(text).toMatch(/hookhub_ingest_rejected_total\{source="github",type="",code="signature_invalid"\} \d+/);
    expect(text).toMatch(/hookhub_ingest_rejected_total\{source="\(unknown\)",type="",code="source_unknown"\} 1/);
    expect(text).toContain('hookhub_ingest_duration_seconds_bucket');
  });
});
