import { randomUUID } from 'node:crypto';
import type { Hub } from '../../src/app/hub';
import { MongoIdempotencyStore } from '../../src/ingest/data-access/idempotency-repository';
import { startTestHub, uniqueNames } from '../support/hub';
import { waitFor } from '../support/wait';
import { githubRequest, partnerRequest, post, pushPayload, taskPayload, testSources } from '../support/webhooks';

const config = () => ({ sources: testSources(), agents: [], routes: [], subscriptions: [] });

// Scenario: the same idempotency key arrives many times at once, at two ingest processes sharing one
// database, and again after a restart. Exactly one request is answered 202 and published; every other answer
// is 200 naming the same event id; and a claim abandoned by a dead process does not block the key forever.
describe('ingest deduplication across requests, processes and restarts', () => {
  const names = uniqueNames('ingestdedupe');
  let a: Hub;
  let b: Hub;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestHub('dedupe-a', { roles: ['ingest'], names: { ...names, clientId: `${names.clientId}-a` }, config: config() }),
      startTestHub('dedupe-b', { roles: ['ingest'], names: { ...names, clientId: `${names.clientId}-b` }, config: config() }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function countInKafka(hub: Hub, topic: string, key: string): Promise<number> {
    const admin = await hub.ctx.kafka.admin();
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((n, o) => n + Number(o.high), 0);
    const consumer = hub.ctx.kafka.kafka.consumer({ groupId: `${names.clientId}-count-${randomUUID()}` });
    let seen = 0;
    let matching = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen += 1;
          if (message.headers?.ce_idempotencykey?.toString() === key) matching += 1;
          if (seen >= total) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    return matching;
  }

  it('20 concurrent copies of one delivery at one hub: one 202, nineteen 200 with the same id, one message', async () => {
    const delivery = randomUUID();
    const copy = await githubRequest('push', pushPayload(), delivery);
    const requests = Array.from({ length: 20 }, () => copy);
    const answers = await Promise.all(requests.map((r) => post(`${a.url}/webhooks/github`, r)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const id = answers.find((r) => r.status === 202)?.json.id;
    for (const r of answers) expect(r.json.id).toBe(id);
    expect(await countInKafka(a, a.ctx.topics.inbound('github'), delivery)).toBe(1);
  });

  it('two hubs on one database racing on the same keys: each key is published once', async () => {
    const ids = Array.from({ length: 5 }, () => `msg_${randomUUID()}`);
    const answers = await Promise.all(
      ids.flatMap((id) => [a, b, a, b].map((hub) => post(`${hub.url}/webhooks/partner`, partnerRequest(taskPayload(), { id })).then((r) => ({ id, ...r })))),
    );
    for (const id of ids) {
      const mine = answers.filter((r) => r.id === id);
      expect(mine.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
      expect(new Set(mine.map((r) => r.json.id)).size).toBe(1);
    }
    expect(await countInKafka(b, b.ctx.topics.inbound('partner'), ids[0] as string)).toBe(1);
  });

  it('after a restart on the same database a redelivery is still a duplicate', async () => {
    const delivery = randomUUID();
    const first = await post(`${a.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(first.status).toBe(202);
    await a.stop();
    a = await startTestHub('dedupe-a2', { roles: ['ingest'], names: { ...names, clientId: `${names.clientId}-a2` }, config: config() });
    const again = await post(`${a.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, duplicate: true });
  });

  it('a claim left pending by a crashed process is taken over once stale, keeping its event id', async () => {
    // What a process that died between claiming and producing leaves behind.
    const keys = new MongoIdempotencyStore(a.ctx.mongo);
    const delivery = randomUUID();
    const claim = await keys.claim('github', delivery, 'crashed-event-id', 'github.push', 60000);
    expect(claim.kind).toBe('claimed');
    // Fresh: another request waits for it, then is told to retry (409 with Retry-After) instead of publishing.
    const blocked = await post(`${a.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
    expect(blocked.status).toBe(409);
    expect(blocked.json.code).toBe('conflict');
    expect(blocked.headers.get('retry-after')).toBe('1');
    // A hub whose stale bound has passed takes it over and publishes under the original id.
    const quick = await startTestHub('dedupe-c', { roles: ['ingest'], names: { ...names, clientId: `${names.clientId}-c` }, config: config(), env: { ingestClaimStaleMs: 1500, kafkaAckTimeoutMs: 1000 } });
    try {
      await new Promise((r) => setTimeout(r, 1600));
      const res = await post(`${quick.url}/webhooks/github`, await githubRequest('push', pushPayload(), delivery));
      expect(res.status).toBe(202);
      expect(res.json.id).toBe('crashed-event-id');
      await waitFor('the key recorded as accepted', async () => (await keys.get('github', delivery))?.state === 'accepted');
    } finally {
      await quick.stop();
    }
  });

  it('keys recorded by the previous storage format (one field each) still answer as duplicates after an upgrade', async () => {
    // What an older hookhub left in ingest_keys: a claim in an outcome group with subdocument members, and a
    // claim with its own accepted marker. Redeliveries of both keys are duplicates naming the stored events.
    const grouped = `msg_${randomUUID()}`;
    const marked = `msg_${randomUUID()}`;
    const at = new Date();
    await a.ctx.mongo.collection<{ _id: string } & Record<string, unknown>>('ingest_keys').insertMany([
      { _id: `claim:partner:${grouped}`, eventId: 'old-grouped', token: 't-grouped', at, type: 'agent.task.requested', group: 'g-old' },
      { _id: 'outcome:g-old', at, accepted: [{ token: 't-grouped', eventId: 'old-grouped', type: 'agent.task.requested', topic: 'old.topic', partition: 1, offset: '41' }], released: [] },
      { _id: `claim:partner:${marked}`, eventId: 'old-marked', token: 't-marked', at },
      { _id: `accepted:partner:${marked}`, eventId: 'old-marked', token: 't-marked', at, topic: 'old.topic', partition: 0, offset: '7' },
    ]);
    const first = await post(`${a.url}/webhooks/partner`, partnerRequest(taskPayload(), { id: grouped }));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ id: 'old-grouped', duplicate: true, type: 'agent.task.requested', topic: 'old.topic', partition: 1, offset: '41' });
    const second = await post(`${b.url}/webhooks/partner`, partnerRequest(taskPayload(), { id: marked }));
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: 'old-marked', duplicate: true, topic: 'old.topic', partition: 0, offset: '7' });
  });
});
