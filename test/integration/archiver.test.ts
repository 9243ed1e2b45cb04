import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/app/hub';
import { toKafkaHeaders } from '../../src/platform/cloudevents';
import { EventsRepository } from '../../src/ingest/data-access/events-repository';
import { SourcesRepository } from '../../src/ingest/data-access/sources-repository';
import { bodyBytes } from '../../src/ingest/domain/archive';
import { collectTopic } from '../support/agents';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { partnerRequest, post, pushPayload, taskPayload, testSources } from '../support/webhooks';

// Scenario: a hub with the ingest and archiver roles. Every accepted webhook ends up once in MongoDB `events`
// with its metadata and exact body; the same Kafka message delivered twice is still one document; a message
// that is not a CloudEvent goes to the DLQ instead of blocking; a source added later is archived too.
describe('archiver', () => {
  const names = uniqueNames('archiver');
  let hub: Hub;
  let events: EventsRepository;

  beforeAll(async () => {
    hub = await startTestHub('archiver', {
      roles: ['ingest', 'archiver'],
      names,
      config: { sources: testSources(), agents: [], routes: [], subscriptions: [] },
      env: { archiverRefreshMs: 500 },
    });
    events = new EventsRepository(hub.ctx.mongo);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('stores accepted webhooks with metadata, headers and the exact body', async () => {
    const body = `{"type":"agent.task.requested", "agent":"triage","task":"Résumé ✓"}`;
    const req = partnerRequest(body);
    const res = await post(`${hub.url}/webhooks/partner`, req);
    expect(res.status).toBe(202);
    const stored = await waitFor('archived event', () => events.get(res.json.id as string));
    expect(stored).toMatchObject({
      id: res.json.id,
      source: 'partner',
      type: 'agent.task.requested',
      idempotencyKey: req.headers['webhook-id'],
      partitionKey: 'triage',
      topic: res.json.topic,
      partition: res.json.partition,
      offset: Number(res.json.offset), // stored as a number so replay can compare positions
      contentType: 'application/json',
      body,
      bodyEncoding: 'utf8',
    });
    expect(bodyBytes(stored).equals(Buffer.from(body))).toBe(true);
    expect(stored.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(stored.time).toBeInstanceOf(Date);
    expect(stored.headers).toEqual(expect.arrayContaining([{ name: 'ce_type', value: 'agent.task.requested' }, { name: 'ce_hookhubsource', value: 'partner' }]));
  });

  it('the same Kafka message twice is one document; poison goes to the DLQ with the dead-letter headers', async () => {
    const id = randomUUID();
    const topic = hub.ctx.topics.inbound('github');
    const producer = await hub.ctx.kafka.producer();
    const message = {
      key: 'acme/widgets',
      value: Buffer.from(JSON.stringify(pushPayload())),
      headers: toKafkaHeaders({ id, source: '/sources/github', type: 'github.push', time: new Date().toISOString(), extensions: { hookhubsource: 'github' } }),
    };
    await producer.send({ topic, acks: -1, messages: [message] });
    await producer.send({ topic, acks: -1, messages: [message, { key: 'x', value: Buffer.from('not a cloudevent'), headers: {} }] });
    // Wait until the archiver has handled the second copy and the poison message, then count.
    const metrics = await waitFor('both copies and the poison handled', async () => {
      const text = await (await fetch(`${hub.url}/metrics`)).text();
      return /hookhub_archiver_events_total\{source="github",outcome="duplicate"\} [1-9]/.test(text) && /outcome="poison"\} 1/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/hookhub_archiver_events_total\{source="github",outcome="stored"\} [1-9]/);
    const page = await events.list({ source: 'github', limit: 1000 });
    expect(page.items.filter((e) => e.id === id)).toHaveLength(1);
    const admin = await hub.ctx.kafka.admin();
    const dlq = await admin.fetchTopicOffsets(hub.ctx.topics.dlq('archiver'));
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(1);
    const letters = await collectTopic(hub, hub.ctx.topics.dlq('archiver'));
    try {
      const [letter] = await waitFor('the dead letter', () => (letters.messages.length > 0 ? letters.messages : undefined));
      expect(letter?.raw?.toString()).toBe('not a cloudevent');
      expect(letter?.headers).toMatchObject({ 'x-hookhub-stage': 'archiver', 'x-hookhub-original-topic': topic, 'x-hookhub-error-code': 'cloudevent_invalid', 'x-hookhub-attempts': '1' });
      expect(letter?.headers['x-hookhub-original-offset']).toMatch(/^\d+$/);
      expect(letter?.headers['x-hookhub-error-message']).not.toBe('');
    } finally {
      await letters.stop();
    }
  });

  it('lists by source, type and time range with a cursor', async () => {
    const from = new Date(Date.now() - 1000);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(`${hub.url}/webhooks/partner`, partnerRequest(taskPayload(`agent-${i}`)));
      ids.push(r.json.id as string);
    }
    await waitFor('all archived', async () => (await Promise.all(ids.map((id) => events.get(id)))).every(Boolean));
    const first = await events.list({ source: 'partner', type: 'agent.*', from, limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toBeDefined();
    const second = await events.list({ source: 'partner', type: 'agent.*', from, limit: 3, cursor: first.nextCursor });
    const all = [...first.items, ...second.items].map((e) => e.id);
    expect(all).toEqual(expect.arrayContaining(ids));
    expect(new Set(all).size).toBe(all.length);
    expect((await events.list({ source: 'partner', to: from })).items.every((e) => e.time < from)).toBe(true);
    const newest = await events.list({ source: 'partner', order: 'desc', limit: 1 });
    expect(newest.items[0]?.id).toBe(ids[4]);
  });

  it('picks up a source added after start', async () => {
    const repo = new SourcesRepository(hub.ctx.mongo, { cacheMs: 0 });
    await repo.upsert({ id: 'late', verification: { scheme: 'none', allowUnsigned: true }, eventType: { fixed: 'late.thing' } }, 'api');
    const res = await waitFor('late source served', async () => {
      const r = await post(`${hub.url}/webhooks/late`, { body: '{"n":1}', headers: { 'content-type': 'application/json' } });
      return r.status === 202 ? r : undefined;
    });
    const stored = await waitFor('late event archived', () => events.get(res.json.id as string), 30000);
    expect(stored.type).toBe('late.thing');
  });
});
