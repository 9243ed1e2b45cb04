import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hub } from '../../src/app/hub';
import { emptyHubConfig } from '../../src/app/hub';
import { apiClient, keyFor, type ApiCall } from '../support/api';
import { operationsOf } from '../support/delivery';
import { eventsAt, produceInbound } from '../support/events';
import { startTestHub } from '../support/hub';
import { TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

interface Job {
  id: string;
  status: string;
  counts: { emitted: number };
}
interface Problem {
  code: string;
}

// Scenario: live github events of source "gh" went through the hub: delivered to an `all` subscription
// (github.*), to a `narrow` one (github.issues.opened only), and run through the echo agent, whose results went
// to a `results` subscription. Then analysts and operators start replay jobs over that window. Analysts may only
// export; no job may read the hub's own topics; a reprocess re-runs the agent but sends no webhook that was
// already sent; a redelivery to `narrow` sends only the events `narrow` accepts. Export files expire with
// their job (HOOKHUB_REPLAY_EXPORT_TTL).
describe('security: replay jobs reach no further than the live events did', () => {
  const receiver = new TestReceiver();
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sec-replay-'));
  let hub: Hub;
  let call: ApiCall;
  let analyst: string;
  let operator: string;
  const from = new Date(Date.now() - 60_000).toISOString();
  const events = eventsAt(`sec-${Math.random().toString(36).slice(2, 8)}`, Date.now() - 30_000, 4);
  const at = (sub: string) => receiver.requests.filter((r) => r.path === `/${sub}`);

  /** True once the delivery group has committed everything on `topics` (it has read and stored all of it). */
  const deliveryCaughtUp = async (topics: string[]): Promise<boolean> => {
    const admin = await hub.ctx.kafka.admin();
    const committed = await admin.fetchOffsets({ groupId: `${hub.ctx.env.kafkaClientId}-delivery`, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const c = mine.find((p) => p.partition === end.partition);
        if (Number(end.high) > 0 && (!c || Number(c.offset) < Number(end.high))) return false;
      }
    }
    return true;
  };
  const finished = (id: string): Promise<Job> =>
    waitFor(`replay ${id} finished`, async () => {
      const j = (await call<Job>('GET', `/replays/${id}`, { key: operator })).body;
      if (j.status === 'failed' || j.status === 'cancelled') throw new Error(`replay ended ${j.status}`);
      return j.status === 'succeeded' ? j : undefined;
    }, 40000);

  beforeAll(async () => {
    await receiver.start();
    hub = await startTestHub('secreplay', {
      roles: ['api', 'agents', 'delivery'],
      config: {
        ...emptyHubConfig(),
        agents: [{ name: 'echo', runner: { kind: 'builtin', name: 'echo' } }],
        routes: [{ id: 'push-to-echo', source: 'gh', eventType: 'github.push', agent: 'echo' }],
      },
      env: {
        outboundAllow: ['127.0.0.1/32'],
        agentsRefreshMs: 300,
        deliveryRefreshMs: 200,
        deliveryPollMs: 100,
        replayPollMs: 100,
        replayCheckpointMs: 100,
        replayExportDir: exportDir,
        replayExportTtl: '1s',
      },
    });
    call = apiClient(hub);
    analyst = (await keyFor(hub, 'analyst')).secret;
    operator = (await keyFor(hub, 'operator')).secret;
    const ops = operationsOf(hub);
    await ops.createSubscription({ id: 'all', url: `${receiver.url}/all`, eventTypes: ['github.*'] });
    await ops.createSubscription({ id: 'narrow', url: `${receiver.url}/narrow`, eventTypes: ['github.issues.opened'] });
    await ops.createSubscription({ id: 'results', url: `${receiver.url}/results`, eventTypes: ['hookhub.execution.*'] });
    await hub.ctx.kafka.ensureTopics([hub.ctx.topics.inbound('gh')]);
    await new Promise((r) => setTimeout(r, 1500)); // the delivery and agents roles pick up the new topic and subscriptions
    await produceInbound(hub.ctx.kafka, hub.ctx.topics.inbound('gh'), 'gh', events);
    await waitFor('the live deliveries', () => at('all').length >= 4 && at('narrow').length >= 2 && at('results').length >= 2, 60000);
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver.stop();
    fs.rmSync(exportDir, { recursive: true, force: true });
  });

  const to = (): string => new Date(Date.now() + 1000).toISOString();

  it('an analyst may export but gets 403 for redeliver and reprocess; nothing is queued', async () => {
    for (const mode of ['redeliver', 'reprocess']) {
      const res = await call<Problem>('POST', '/replays', { key: analyst, body: { source: 'gh', from, to: to(), mode, ...(mode === 'redeliver' ? { subscriptionId: 'all' } : {}) } });
      expect([mode, res.status, res.body.code]).toEqual([mode, 403, 'forbidden']);
    }
    expect(await hub.ctx.mongo.collection('replays').countDocuments({ mode: { $ne: 'export' } })).toBe(0);
  });

  it.each([['results', (h: Hub) => h.ctx.topics.results], ['a dead-letter topic', (h: Hub) => h.ctx.topics.dlq('agents')], ['replay deliveries', (h: Hub) => `${h.ctx.env.topicPrefix}.replay.deliveries`]])(
    'a replay of %s is refused with 400 replay_topic_forbidden',
    async (_what, topicOf) => {
      const res = await call<Problem>('POST', '/replays', { key: operator, body: { topic: topicOf(hub), from, to: to(), mode: 'reprocess' } });
      expect([res.status, res.body.code]).toEqual([400, 'replay_topic_forbidden']);
    },
  );

  it('a reprocess re-runs the agent but sends no webhook that was already sent (same webhook-ids, no repeats)', async () => {
    const before = receiver.requests.length;
    const res = await call<Job>('POST', '/replays', { key: operator, body: { source: 'gh', from, to: to(), mode: 'reprocess' } });
    expect(res.status).toBe(202);
    expect((await finished(res.body.id)).counts.emitted).toBe(4);
    const executions = hub.ctx.mongo.collection('executions');
    await waitFor('the replayed executions, results published', async () => (await executions.countDocuments({ replay: true, status: 'succeeded', resultPublished: true })) === 2, 40000);
    await waitFor('delivery read the copies and their results', () => deliveryCaughtUp([hub.ctx.topics.inbound('gh'), hub.ctx.topics.results]), 40000);
    expect(receiver.requests.length).toBe(before);
    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a redelivery to a subscription sends only the events its types and filter accept", async () => {
    const before = at('narrow').length;
    const res = await call<Job>('POST', '/replays', { key: operator, body: { source: 'gh', from, to: to(), mode: 'redeliver', subscriptionId: 'narrow' } });
    expect(res.status).toBe(202);
    expect((await finished(res.body.id)).counts.emitted).toBe(4);
    await waitFor('delivery read the redeliveries', () => deliveryCaughtUp([`${hub.ctx.env.topicPrefix}.replay.deliveries`]), 40000);
    await waitFor('the two accepted redeliveries', () => at('narrow').length >= before + 2, 20000);
    const sent = at('narrow').slice(before).map((r) => JSON.parse(r.body.toString('utf8')) as { n: number; hookhubReplay?: unknown });
    expect(sent).toHaveLength(2);
    // Odd n are github.issues.opened (eventsAt alternates push / issues.opened).
    expect(sent.every((b) => b.n % 2 === 1 && b.hookhubReplay !== undefined)).toBe(true);
    expect(at('all').length).toBe(4);
  });

  it('an export file is deleted with its job once HOOKHUB_REPLAY_EXPORT_TTL has passed', async () => {
    const res = await call<Job>('POST', '/replays', { key: analyst, body: { source: 'gh', from, to: to(), mode: 'export' } });
    expect(res.status).toBe(202);
    await finished(res.body.id);
    const file = path.join(exportDir, `${res.body.id}.ndjson`);
    expect(fs.existsSync(file)).toBe(true);
    await waitFor('the job to expire', async () => (await call('GET', `/replays/${res.body.id}`, { key: analyst })).status === 404, 20000);
    expect(fs.existsSync(file)).toBe(false);
    expect((await call<Problem>('GET', `/replays/${res.body.id}/export`, { key: analyst })).status).toBe(404);
  });
});
